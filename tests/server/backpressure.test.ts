/**
 * A tablet on bad Wi-Fi (SPEC §5): its socket stops reading while a bandmate
 * keeps editing. The relay queues, keeps only the newest value per parameter,
 * and drops the tablet once it is too far behind, instead of buffering forever.
 */
import type { Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { cleanup, join, seedSession, startRelay, token, type Client } from './helpers.ts';

const socketOf = (c: Client) => (c.socket as unknown as { _socket: Socket })._socket;

/** A BATCH of 256 cutoff values, ~33 KB on the wire: filler that cannot be coalesced. */
function filler(session: string, n: number) {
  const ops = Array.from({ length: 256 }, (_, i) => ({
    id: `fill_${n}_${i}`, type: 'PLUGIN_PARAMETER', data: { track_id: 't1', plugin_id: 'p1', parameter_id: 'cutoff', parameter_value: 20 + i },
  }));
  return { id: `batch_${n}`, type: 'BATCH', session_id: session, data: { ops } };
}

async function backUp(owner: Client, session: string, batches: number): Promise<void> {
  for (let n = 0; n < batches; n++) owner.send(filler(session, n));
  await owner.answer(`batch_${batches - 1}`, 20_000);
}

describe('a receiver that stops reading', () => {
  it('gets every structural frame but only the newest value of a parameter ridden meanwhile', async () => {
    const t = await startRelay({ OUTBOARD_MAX_MESSAGES_PER_SECOND: '100000' });
    try {
      const owner = await seedSession(t.ws, 'wifi');
      const tablet = await join(t.ws, 'wifi', { token: await token('wifi', 'tab', 'viewer') });
      socketOf(tablet).pause();
      await backUp(owner, 'wifi', 200);
      for (let i = 0; i < 100; i++) owner.send({ id: `q_${i}`, type: 'PLUGIN_PARAMETER', session_id: 'wifi', data: { track_id: 't1', plugin_id: 'p1', parameter_id: 'q', parameter_value: 0.1 + i / 10 } });
      await owner.answer('q_99');
      const member = [...t.relay.connections].find((c) => c.user === 'tab');
      expect(member?.coalesced).toBe(99);
      socketOf(tablet).resume();
      const last = await tablet.next((f) => f.id === 'q_99', 20_000);
      expect((last.data as { parameter_value: number }).parameter_value).toBeCloseTo(10);
      expect(tablet.frames.filter((f) => typeof f.id === 'string' && f.id.startsWith('q_')).map((f) => f.id)).toEqual(['q_99']);
      expect(tablet.frames.filter((f) => f.type === 'BATCH')).toHaveLength(200);
      const seqs = tablet.frames.filter((f) => typeof f.seq === 'number' && f.type !== 'SNAPSHOT' && f.type !== 'SYNCED').map((f) => f.seq as number);
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
      tablet.close();
      owner.close();
    } finally {
      await t.stop();
      cleanup(t.dataDir);
    }
  }, 60_000);

  it('is dropped with 1013 once its queue passes OUTBOARD_SEND_QUEUE_MAX, and resumes (from a snapshot when far behind)', async () => {
    const t = await startRelay({ OUTBOARD_MAX_MESSAGES_PER_SECOND: '100000', OUTBOARD_SEND_QUEUE_MAX: '20' });
    try {
      const owner = await seedSession(t.ws, 'slow');
      const tablet = await join(t.ws, 'slow', { token: await token('slow', 'tab', 'viewer') });
      socketOf(tablet).pause();
      await backUp(owner, 'slow', 200);
      socketOf(tablet).resume();
      expect((await tablet.closed).code).toBe(1013);
      // 200 ops behind does not fit a 20-frame queue: one SNAPSHOT instead of a replay that would overflow again.
      const back = await join(t.ws, 'slow', { token: await token('slow', 'tab', 'viewer'), since: 2 });
      expect(back.frames.map((f) => f.type)).toEqual(['WELCOME', 'SNAPSHOT', 'SYNCED']);
      expect(back.frames[1]?.seq).toBe(202);
      const near = await join(t.ws, 'slow', { token: await token('slow', 'tab', 'viewer'), since: 195 });
      expect(near.frames.filter((f) => f.type === 'BATCH').map((f) => f.seq)).toEqual([196, 197, 198, 199, 200, 201, 202]);
      back.close();
      near.close();
      owner.close();
    } finally {
      await t.stop();
      cleanup(t.dataDir);
    }
  }, 60_000);
});
