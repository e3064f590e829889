import { describe, expect, it } from 'vitest';
import { compileDocument, createSession, HlcClock, stampOp, type EngineChange } from '../../src/model/index.ts';
import type { AudioEngineApi } from '../../src/engine/types.ts';
import type { SessionDocument } from '../../src/protocol/session.ts';
import type { LocalStore } from '../../src/store/index.ts';
import { SessionController } from '../../src/app/session-controller.ts';
import { addTrackOps, batch, moveTrackOp, op } from '../../src/app/op-builders.ts';

/** A store that records what the controller writes. */
function fakeStore() {
  const saved: SessionDocument[] = [];
  const outbox: unknown[] = [];
  const store = {
    putSession: async (doc: SessionDocument) => void saved.push(doc),
    appendOutbox: async (_id: string, ops: readonly unknown[]) => void outbox.push(...ops),
    pending: async () => undefined,
  };
  return { saved, outbox, store: store as unknown as LocalStore };
}

function open() {
  const fake = fakeStore();
  const ctl = new SessionController(fake.store, new HlcClock('n_test'));
  ctl.load(createSession({ id: 'ses_t', name: 'T' }));
  return { ...fake, ctl };
}

describe('the session controller: gesture -> op -> model -> projections', () => {
  it('applies a synth track as one batch, saves the document and queues the op for sync', async () => {
    const { ctl, saved, outbox } = open();
    const { trackId, ops } = addTrackOps('synth', 'Synth 1');
    expect(ctl.dispatch(batch(ops))).toEqual({ status: 'applied' });
    expect(ctl.doc?.tracks.map((t) => [t.id, t.chain.map((p) => p.type)])).toEqual([[trackId, ['synth']]]);
    await ctl.flush();
    expect(saved.at(-1)?.tracks).toHaveLength(1);
    expect(outbox).toHaveLength(1);
    expect(outbox[0]).toMatchObject({ type: 'BATCH', hlc: expect.stringMatching(/:n_test$/) });
  });

  it('opening another session first lets listeners finish on the one being left, and writes that one, not the next, with its last change', async () => {
    const { ctl, saved } = open();
    const next = createSession({ id: 'ses_next', name: 'Next' });
    const leaving: string[] = [];
    // A MIDI knob still turning: its resting value lands when the session is left.
    ctl.on('leaving', (doc) => {
      leaving.push(doc.id);
      ctl.dispatch(op('UPDATE_TRACK', { track_id: 'master', changes: { gain_db: -60 } }));
    });
    ctl.load(ctl.doc);
    expect(leaving).toEqual([]);
    ctl.load(next);
    expect(leaving).toEqual(['ses_t']);
    expect(ctl.doc?.master.gain_db).toBe(0);
    await ctl.flush();
    expect(saved.map((d) => [d.id, d.master.gain_db])).toEqual([['ses_t', -60]]);
  });

  it('keeps values inside a gesture out of the outbox; the final value is durable', async () => {
    const { ctl, outbox } = open();
    const { trackId, ops } = addTrackOps('audio', 'Audio 1');
    ctl.dispatch(ops[0]!);
    let changes = 0;
    ctl.on('change', () => changes++);
    for (const gain of [-1, -2, -3]) ctl.dispatch(op('UPDATE_TRACK', { track_id: trackId, changes: { gain_db: gain } }), { ephemeral: true });
    ctl.dispatch(op('UPDATE_TRACK', { track_id: trackId, changes: { gain_db: -3.5 } }));
    await ctl.flush();
    expect(changes).toBe(4);
    expect(ctl.doc?.tracks[0]?.gain_db).toBe(-3.5);
    expect(outbox.map((o) => (o as { type: string }).type)).toEqual(['ADD_TRACK', 'UPDATE_TRACK']);
  });

  it('reports a refused op and changes nothing', async () => {
    const { ctl, outbox } = open();
    const before = ctl.doc;
    const errors: unknown[] = [];
    ctl.on('op-error', (error) => errors.push(error));
    const result = ctl.dispatch(op('UPDATE_TRACK', { track_id: 'trk_nope', changes: { mute: true } }));
    expect(result).toMatchObject({ status: 'error', error: { code: 'TRACK_NOT_FOUND' } });
    expect(ctl.doc).toBe(before);
    expect(errors).toHaveLength(1);
    await ctl.flush();
    expect(outbox).toHaveLength(0);
  });

  it('moves a track, keeping its id and rack', () => {
    const { ctl } = open();
    for (const name of ['A', 'B', 'C']) ctl.dispatch(batch(addTrackOps('synth', name).ops));
    const a = ctl.doc!.tracks[0]!;
    ctl.dispatch(moveTrackOp(a.id, 2));
    expect(ctl.doc!.tracks.map((t) => t.name)).toEqual(['B', 'C', 'A']);
    expect(ctl.doc!.tracks[2]).toEqual(a);
  });

  it('hands the engine each op\'s changes, local or remote, and a compiled document only on load or replacement', () => {
    const { ctl } = open();
    // A stand-in engine that records what it is handed (an AudioContext cannot run in Node; the real one is in tests/e2e).
    const got: { whole: boolean; changes: readonly EngineChange[] }[] = [];
    const engine = {
      applyChanges: (changes: readonly EngineChange[]) => void got.push({ whole: false, changes }),
      loadDocument: (changes: readonly EngineChange[]) => void got.push({ whole: true, changes }),
    } as unknown as AudioEngineApi;
    ctl.attachEngine(engine);
    expect(got).toEqual([{ whole: true, changes: compileDocument(ctl.doc!) }]);
    const { trackId, ops } = addTrackOps('audio', 'Audio 1');
    ctl.dispatch(ops[0]!);
    got.length = 0;
    ctl.dispatch(op('UPDATE_TRACK', { track_id: trackId, changes: { gain_db: -3 } }), { ephemeral: true });
    expect(got).toEqual([{ whole: false, changes: [{ kind: 'track-value', track: trackId, field: 'gain_db', value: -3 }] }]);
    const remote = stampOp(ctl.doc!, op('UPDATE_TRACK', { track_id: trackId, changes: { pan: 0.5, name: 'Gtr' } }), new HlcClock('n_other', () => Date.now() + 60_000));
    ctl.applyRemote(remote);
    expect(got.at(-1)).toEqual({ whole: false, changes: [{ kind: 'track-value', track: trackId, field: 'pan', value: 0.5 }] });
    const snapshot = createSession({ id: 'ses_t', name: 'T' });
    ctl.replaceDocument(snapshot);
    expect(got.at(-1)).toEqual({ whole: true, changes: compileDocument(snapshot) });
  });

  it('while its user holds a control, remote values for it reach the document but not the engine; the release lands', () => {
    const { ctl } = open();
    // The same recording stand-in engine (the real engine is exercised in tests/e2e/sync-transport.spec.ts).
    const got: EngineChange[][] = [];
    ctl.attachEngine({
      applyChanges: (changes: readonly EngineChange[]) => void got.push([...changes]),
      loadDocument: () => undefined,
    } as unknown as AudioEngineApi);
    const { trackId, ops } = addTrackOps('audio', 'Audio 1');
    ctl.dispatch(ops[0]!);
    const other = new HlcClock('n_tablet', () => Date.now() + 60_000);
    const remote = (changes: { gain_db?: number; pan?: number }) => ctl.applyRemote(stampOp(ctl.doc!, op('UPDATE_TRACK', { track_id: trackId, changes }), other));
    got.length = 0;
    const fader = `${trackId}//gain_db`;
    ctl.hold(fader);
    remote({ gain_db: -6 });
    remote({ gain_db: -9 });
    // Another control moves as usual.
    remote({ pan: 0.25 });
    expect(ctl.doc?.tracks[0]?.gain_db).toBe(-9);
    expect(got).toEqual([[], [], [{ kind: 'track-value', track: trackId, field: 'pan', value: 0.25 }]]);
    ctl.release(fader);
    expect(got.at(-1)).toEqual([{ kind: 'track-value', track: trackId, field: 'gain_db', value: -9 }]);
    remote({ gain_db: -12 });
    expect(got.at(-1)).toEqual([{ kind: 'track-value', track: trackId, field: 'gain_db', value: -12 }]);
  });

  it('hands a durable op to the engine and the sync before the views and the outbox write, and still stores it', async () => {
    const { ctl, store, outbox } = open();
    const order: string[] = [];
    const append = store.appendOutbox.bind(store);
    store.appendOutbox = (id, ops, key) => (order.push('outbox'), append(id, ops, key));
    ctl.attachEngine({ applyChanges: () => void order.push('engine'), loadDocument: () => undefined } as unknown as AudioEngineApi);
    ctl.on('op', () => void order.push('sync'));
    ctl.on('change', () => void order.push('views'));
    const { trackId, ops } = addTrackOps('audio', 'Audio 1');
    ctl.dispatch(ops[0]!);
    await ctl.outboxWritten();
    order.length = 0;
    // A key press on a fader: on a surface, the sync puts it on the wire in its 'op' listener.
    ctl.dispatch(op('UPDATE_TRACK', { track_id: trackId, changes: { gain_db: -3 } }));
    expect(order).toEqual(['engine', 'sync', 'views']);
    // The outbox write is queued in the same call: whatever waits for it (the sync's outbox reads, an ack's removal) sees the op.
    await ctl.outboxWritten();
    expect(order).toEqual(['engine', 'sync', 'views', 'outbox']);
    expect(outbox.at(-1)).toMatchObject({ type: 'UPDATE_TRACK', data: { changes: { gain_db: -3 } } });
  });
});
