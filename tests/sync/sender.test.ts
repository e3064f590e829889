/**
 * The sending side against a scripted relay. The relay's rate window cannot
 * be made to roll over between two given frames of a real burst without
 * depending on timing, so here the answers are scripted exactly as the relay
 * gives them (tests/sync/sync-client.test.ts runs the flush against a real
 * relay with a low rate limit).
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { apply, createSession, HlcClock, stampOp, type StampedOp } from '../../src/model/index.ts';
import type { OutboardError } from '../../src/protocol/errors.ts';
import type { ClientMessage } from '../../src/protocol/messages.ts';
import type { AnyOp } from '../../src/protocol/ops.ts';
import { addPluginOp, addTrackOps, op } from '../../src/app/op-builders.ts';
import { Replica } from '../../src/sync/replica.ts';
import { Sender, STUCK_MS } from '../../src/sync/sender.ts';

beforeEach(() => void vi.useFakeTimers());
afterEach(() => void vi.useRealTimers());

function setup() {
  const clock = new HlcClock('tab');
  let doc = createSession({ id: 'ses_s', name: 'S' });
  const { trackId, ops } = addTrackOps('audio', 'Bass');
  for (const o of ops) doc = apply(doc, stampOp(doc, o, clock)).doc;
  const replica = new Replica();
  replica.setConfirmed(doc, 1);
  const stamp = (o: AnyOp): StampedOp => {
    const s = stampOp(doc, o, clock);
    doc = apply(doc, s).doc;
    replica.addPending(s);
    return s;
  };
  const frames: ClientMessage[] = [];
  const refused: { error: OutboardError; op: StampedOp }[] = [];
  const removed: string[] = [];
  let stuckRetries = 0;
  const sender = new Sender({
    sessionId: 'ses_s', replica,
    outbox: { list: async () => [], remove: async (_s, ids) => void removed.push(...ids) },
    canSend: () => true, rollback: () => undefined, changed: () => undefined,
    refused: (error, o) => refused.push({ error, op: o }),
    stuck: () => (stuckRetries += 1),
    // As the session does: every frame sent counts in the pacing window.
  }, (m) => (frames.push(m), sender.window.record(), true));
  /** The op ids a frame carries, in order. */
  const opIds = (m: ClientMessage): string[] => (m.type === 'BATCH' ? m.data.ops.map((o) => o.id) : [m.id]);
  return { trackId, replica, stamp, frames, refused, removed, sender, opIds, stuck: () => stuckRetries };
}

const error = (code: OutboardError['code']): OutboardError => ({ code, message: code });

describe('flushing the outbox when the rate window rolls over mid-burst', () => {
  it('a plugin refused for the rate, then its param refused for the missing plugin: both stay queued and go again in order', () => {
    const t = setup();
    for (let i = 0; i < 49; i += 1) t.stamp(op('UPDATE_TRACK', { track_id: t.trackId, changes: { gain_db: -i / 10, pan: 0 } }));
    const add = t.stamp(addPluginOp(t.trackId, 'filter'));
    const pluginId = (add.data as { plugin: { id: string } }).plugin.id;
    const param = t.stamp(op('PLUGIN_PARAMETER', { track_id: t.trackId, plugin_id: pluginId, parameter_id: 'cutoff', parameter_value: 440 }));
    t.sender.flush();
    // 51 ops: a BATCH of 50 that ends with the ADD_PLUGIN, then the param on its own.
    expect(t.frames.map(t.opIds).map((ids) => ids.length)).toEqual([50, 1]);
    const [first, second] = t.frames;
    // The window was full for the first frame; it rolled over before the second, which the model refused.
    t.sender.error(first!.id, error('RATE_LIMITED'));
    t.sender.error(second!.id, error('PLUGIN_NOT_FOUND'));
    expect(t.refused).toEqual([]);
    expect(t.replica.pending.map((p) => p.id)).toContain(param.id);
    expect(t.removed).toEqual([]);

    t.frames.length = 0;
    vi.advanceTimersByTime(1_200);
    const resent = t.frames.flatMap(t.opIds);
    expect(resent.indexOf(add.id)).toBeGreaterThanOrEqual(0);
    expect(resent.indexOf(add.id)).toBeLessThan(resent.indexOf(param.id));
    for (const f of t.frames) t.sender.ack(f.id, 9);
    expect(t.replica.pending).toEqual([]);
    expect(t.replica.confirmed!.tracks[0]!.chain[0]!.params.cutoff).toBe(440);
  });

  it('a refusal of the op itself, with nothing refused for the rate before it, undoes the op and says why', () => {
    const t = setup();
    const bad = t.stamp(op('UPDATE_SESSION', { changes: { name: 'x' } }));
    t.sender.flush();
    t.sender.error(t.frames[0]!.id, error('INVALID_MESSAGE'));
    expect(t.refused.map((r) => [r.error.code, r.op.id])).toEqual([['INVALID_MESSAGE', bad.id]]);
    expect(t.replica.pending).toEqual([]);
    expect(t.removed).toEqual([bad.id]);
  });

  it('never sends more frames in a window than its share of the announced rate', () => {
    const t = setup();
    t.sender.window.setLimit(10);
    // 20 frames' worth of ops that never compact.
    for (let i = 0; i < 1000; i += 1) t.stamp(op('UPDATE_TRACK', { track_id: t.trackId, changes: { gain_db: -(i % 60), pan: 0 } }));
    t.sender.flush();
    expect(t.frames).toHaveLength(5);
    for (const sent of [10, 15, 20]) {
      vi.advanceTimersByTime(1_000);
      expect(t.frames).toHaveLength(sent - 5);
      vi.advanceTimersByTime(100);
      expect(t.frames).toHaveLength(sent);
    }
    expect(t.frames.flatMap(t.opIds)).toEqual(t.replica.pending.map((p) => p.id));
  });
});

describe('a stuck op', () => {
  it('shows once its ack is more than 5 s late while connected, and is retried over a fresh connection', () => {
    const t = setup();
    t.stamp(op('UPDATE_SESSION', { changes: { tempo_bpm: 99 } }));
    t.sender.connected();
    t.sender.flush();
    vi.advanceTimersByTime(STUCK_MS - 1_000);
    expect(t.sender.stuckOps).toBe(0);
    vi.advanceTimersByTime(2_000);
    expect(t.sender.stuckOps).toBe(1);
    expect(t.stuck()).toBe(1);
    t.sender.ack(t.frames[0]!.id, 5);
    expect(t.sender.stuckOps).toBe(0);
    t.sender.stop();
  });
});

describe('a new op leaves at once', () => {
  it('the first op of a task is on the wire when schedule() returns; the ones after it in that task go together at the end of the task', async () => {
    const t = setup();
    const first = t.stamp(op('UPDATE_TRACK', { track_id: t.trackId, changes: { gain_db: -1 } }));
    t.sender.schedule();
    // Before any microtask: nothing (a view re-rendering for the key press) runs ahead of the send.
    expect(t.frames.map(t.opIds)).toEqual([[first.id]]);
    const more = [t.stamp(op('UPDATE_TRACK', { track_id: t.trackId, changes: { pan: 0.5 } })), t.stamp(op('UPDATE_TRACK', { track_id: t.trackId, changes: { mute: true } }))];
    for (let i = 0; i < more.length; i += 1) t.sender.schedule();
    expect(t.frames).toHaveLength(1);
    await Promise.resolve();
    expect(t.frames.map(t.opIds)).toEqual([[first.id], more.map((o) => o.id)]);
  });
});
