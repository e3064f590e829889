/**
 * Transport and levels on a real relay (SPEC §5): Play is a logged op every
 * member gets; an audio host's METERS frames reach the others, are never
 * logged, never eat the sender's op budget, and a backed-up receiver keeps
 * only the newest levels of each host.
 */
import { describe, expect, it } from 'vitest';
import { Outbox, type Sink } from '../../server/session/outbox.ts';
import { metersFrame } from '../../server/session/frames.ts';
import { cleanup, join, param, seedSession, startRelay, stored, token } from './helpers.ts';

const meters = (id: string, session: string, peak: number, extra: Record<string, unknown> = {}) => ({
  type: 'METERS', id, session_id: session, data: { at: 1_764_620_400_000 + peak, step: null, levels: { t1: [peak, peak - 6], master: [peak, peak - 6] }, ...extra },
});

describe('transport and levels through the relay', () => {
  it('Play from the tablet is logged and reaches the laptop; the laptop\'s levels reach the tablet and are never logged', async () => {
    const t = await startRelay();
    try {
      const laptop = await seedSession(t.ws, 'gig');
      const tablet = await join(t.ws, 'gig', { token: await token('gig', 'tab', 'editor') });
      tablet.send({ id: 'play_1', type: 'UPDATE_SESSION', session_id: 'gig', data: { changes: { playing: true } } });
      expect(await tablet.answer('play_1')).toMatchObject({ type: 'ack' });
      expect(await laptop.next((f) => f.id === 'play_1')).toMatchObject({ type: 'UPDATE_SESSION', data: { changes: { playing: true }, changed_by: 'tab' } });
      const before = await stored(t.url, 'gig');
      expect(before.document.playing).toBe(true);

      for (let i = 0; i < 5; i++) laptop.send(meters(`mt_${i}`, 'gig', -20 + i));
      const last = await tablet.next((f) => f.type === 'METERS' && (f.data?.levels as Record<string, number[]>).master![0] === -16);
      expect(last.data).toMatchObject({ step: null, connection_id: expect.any(String) });
      expect((await stored(t.url, 'gig')).seq).toBe(before.seq);
      // The sender gets no echo and no answer.
      laptop.send(param('after', 'gig', 500));
      await laptop.answer('after');
      expect(laptop.frames.filter((f) => f.type === 'METERS' || (f.type === 'error' && String(f.id).startsWith('mt_')))).toEqual([]);
      laptop.close();
      tablet.close();
    } finally {
      await t.stop();
      cleanup(t.dataDir);
    }
  });

  it('levels have a budget of their own: a host sending meters keeps its whole op rate', async () => {
    const t = await startRelay({ OUTBOARD_MAX_MESSAGES_PER_SECOND: '20' });
    try {
      const laptop = await seedSession(t.ws, 'budget');
      const tablet = await join(t.ws, 'budget', { token: await token('budget', 'tab', 'editor') });
      // A fresh one-second window for the ops (the seeding used some of it).
      await new Promise((r) => setTimeout(r, 1100));
      for (let i = 0; i < 30; i++) laptop.send(meters(`mt_${i}`, 'budget', -30));
      for (let i = 0; i < 20; i++) laptop.send(param(`op_${i}`, 'budget', 200 + i));
      const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => laptop.answer(`op_${i}`)));
      expect(answers.map((a) => a.type)).toEqual(Array(20).fill('ack'));
      await tablet.next((f) => f.id === 'op_19');
      laptop.close();
      tablet.close();
    } finally {
      await t.stop();
      cleanup(t.dataDir);
    }
  });

  it('an op dressed as METERS (a second "type" key) is refused and changes nothing: the levels\' budget never carries edits', async () => {
    const t = await startRelay();
    try {
      const laptop = await seedSession(t.ws, 'smuggle');
      const tablet = await join(t.ws, 'smuggle', { token: await token('smuggle', 'tab', 'editor') });
      const before = await stored(t.url, 'smuggle');
      laptop.send('{"type":"METERS","id":"sm_1","type":"UPDATE_SESSION","session_id":"smuggle","data":{"changes":{"name":"smuggled"}}}');
      const answer = await laptop.answer('sm_1');
      expect(answer).toMatchObject({ type: 'error', data: { code: 'INVALID_MESSAGE', field: 'type' } });
      expect(String((answer.data as { message: string }).message)).toContain('METERS');
      laptop.send(param('after', 'smuggle', 300));
      await tablet.next((f) => f.id === 'after');
      expect(tablet.frames.filter((f) => f.id === 'sm_1')).toEqual([]);
      const after = await stored(t.url, 'smuggle');
      expect(after.seq).toBe(before.seq + 1);
      expect(after.document.name).toBe(before.document.name);
      laptop.close();
      tablet.close();
    } finally {
      await t.stop();
      cleanup(t.dataDir);
    }
  });

  it('a malformed METERS frame is refused by name and reaches no one', async () => {
    const t = await startRelay();
    try {
      const laptop = await seedSession(t.ws, 'bad');
      const tablet = await join(t.ws, 'bad', { token: await token('bad', 'tab', 'editor') });
      laptop.send(meters('mt_bad', 'bad', -10, { levels: { t1: [-10] } }));
      const answer = await laptop.answer('mt_bad');
      expect(answer).toMatchObject({ type: 'error', data: { code: 'INVALID_MESSAGE' } });
      expect(String((answer.data as { field?: string }).field)).toContain('levels');
      laptop.send(param('after', 'bad', 300));
      await tablet.next((f) => f.id === 'after');
      expect(tablet.frames.filter((f) => f.type === 'METERS')).toEqual([]);
      laptop.close();
      tablet.close();
    } finally {
      await t.stop();
      cleanup(t.dataDir);
    }
  });
});

describe('a backed-up receiver and levels', () => {
  it('keeps only the newest levels of each host, behind the edits already queued', async () => {
    const sent: string[] = [];
    const sink: Sink & { bufferedAmount: number } = { bufferedAmount: 5000, send: (d) => void sent.push(String(d)) };
    const box = new Outbox(sink, 1000, 100, 1e6, () => undefined);
    const host = { connectionId: 'c_laptop' };
    const other = { connectionId: 'c_other' };
    box.push({ text: 'ADD_TRACK' });
    for (let i = 0; i < 60; i++) box.push(metersFrame('s1', host, { at: i, step: null, levels: { master: [-i, -i] } }));
    box.push(metersFrame('s1', other, { at: 0, step: null, levels: { master: [-1, -1] } }));
    expect(box.size).toBe(3);
    sink.bufferedAmount = 0;
    await new Promise((r) => setTimeout(r, 20));
    expect(sent[0]).toBe('ADD_TRACK');
    expect(sent.slice(1).map((s) => (JSON.parse(s) as { data: { at: number; connection_id: string } }).data))
      .toEqual([expect.objectContaining({ at: 59, connection_id: 'c_laptop' }), expect.objectContaining({ connection_id: 'c_other' })]);
  });
});
