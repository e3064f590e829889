import { describe, expect, it } from 'vitest';
import { apply, parseSessionDocument, stampOp, type StampedOp } from '../../src/model/index.ts';
import type { AnyOp } from '../../src/protocol/ops.ts';
import type { SessionDocument } from '../../src/protocol/session.ts';
import { opId, Replica } from './fixtures.ts';

/** A mixer of `n` tracks, each with an EQ whose every param was written once: a clock per register. */
function mixer(n: number): Replica {
  const laptop = new Replica('laptop');
  for (let t = 0; t < n; t++) {
    laptop.edit({ id: opId(), type: 'ADD_TRACK', data: { track: { id: `t${t}`, name: `Track ${t}`, chain: [{ id: 'eq', type: 'eq' }] } } });
    for (const [parameter_id, value] of Object.entries(laptop.doc.tracks[t]!.chain[0]!.params)) {
      laptop.edit({ id: opId(), type: 'PLUGIN_PARAMETER', data: { track_id: `t${t}`, plugin_id: 'eq', parameter_id, parameter_value: value } });
    }
    laptop.edit({ id: opId(), type: 'UPDATE_TRACK', data: { track_id: `t${t}`, changes: { pan: 0.1, mute: false } } });
  }
  return laptop;
}

const fader = (track: string, gain_db: number): AnyOp => ({ id: opId(), type: 'UPDATE_TRACK', data: { track_id: track, changes: { gain_db } } });

/** The document as it would be saved and read back: plain JSON all the way down. */
const plain = (doc: SessionDocument): SessionDocument => JSON.parse(JSON.stringify(doc)) as SessionDocument;

describe('register clocks: a fader move costs no copy of the document', () => {
  it('leaves every other track, the other tracks\' plugins and the previous document untouched', () => {
    const laptop = mixer(8);
    const before = laptop.doc;
    const saved = plain(before);
    laptop.edit(fader('t3', -6));
    const after = laptop.doc;
    expect(after.tracks[3]!.gain_db).toBe(-6);
    after.tracks.forEach((t, i) => {
      if (i !== 3) expect(t).toBe(before.tracks[i]);
    });
    expect(after.tracks[3]!.chain).toBe(before.tracks[3]!.chain);
    expect(after.master).toBe(before.master);
    expect(after.meta.positions).toBe(before.meta.positions);
    expect(after.meta.tombstones).toBe(before.meta.tombstones);
    // Pure: the document before the move reads exactly as it did, clocks included.
    expect(plain(before)).toEqual(saved);
    expect(before.meta.clocks['t:t3:gain_db']).toBeUndefined();
    expect(after.meta.clocks['t:t3:gain_db']).toBeDefined();
  });

  it('a gesture of many moves never builds the flat clock record; reading it then gives every register', () => {
    const laptop = mixer(8);
    const registers = Object.keys(laptop.doc.meta.clocks).length;
    const docs: SessionDocument[] = [];
    for (let i = 0; i < 200; i++) {
      laptop.edit(fader('t0', -(i + 1) / 10));
      docs.push(laptop.doc);
    }
    // Built lazily: nothing on the op path read `meta.clocks` as a whole.
    for (const doc of docs) expect(Object.getOwnPropertyDescriptor(doc.meta, 'clocks')!.get).toBeDefined();
    const last = docs.at(-1)!;
    expect(Object.keys(last.meta.clocks)).toHaveLength(registers + 1);
    expect(last.meta.clocks['t:t0:gain_db']).toBe(laptop.doc.meta.clocks['t:t0:gain_db']);
    // Read once, it is an ordinary record from then on.
    expect(Object.getOwnPropertyDescriptor(last.meta, 'clocks')!.value).toBe(last.meta.clocks);
  });

  it('gives the same documents as plain ones, through saves, structured clones and many distinct registers', () => {
    const shared = mixer(12);
    // The same ops applied to a copy that is saved and read back after every op: its meta is always plain JSON.
    let reference = plain(shared.doc);
    const ops: StampedOp[] = [];
    const params = Object.entries(shared.doc.tracks[0]!.chain[0]!.params);
    // Well over the recent layer's bound of distinct registers: every track's gain and every EQ param, rewritten.
    for (let i = 0; i < 600; i++) {
      const t = `t${i % 12}`;
      const [parameter_id, parameter_value] = params[Math.floor(i / 12) % params.length]!;
      const op: AnyOp = i % 2 === 0
        ? { id: opId(), type: 'PLUGIN_PARAMETER', data: { track_id: t, plugin_id: 'eq', parameter_id, parameter_value } }
        : fader(t, -((i % 40) + 1) / 2);
      const stamped = stampOp(shared.doc, op, shared.clock);
      ops.push(stamped);
      shared.doc = apply(shared.doc, stamped).doc;
      reference = plain(apply(reference, stamped).doc);
      if (i % 100 === 0) expect(structuredClone(shared.doc)).toEqual(reference);
    }
    expect(plain(shared.doc)).toEqual(reference);
    expect(JSON.stringify(shared.doc)).toBe(JSON.stringify(reference));
    // Re-delivering an op is still seen as the same write (its register's clock is read from the layers).
    expect(apply(shared.doc, ops.at(-1)!).result.status).toBe('superseded');
    // And the schema reads it like any saved document.
    const parsed = parseSessionDocument(shared.doc);
    expect(parsed.ok && parsed.value).toEqual(reference);
  });

  it('an older write loses to a newer one held only in the recent layer', () => {
    const laptop = mixer(2);
    const late = laptop.edit(fader('t1', -3)).op;
    const early = { ...late, id: opId(), hlc: '0000000000000-0000-n_early', data: { track_id: 't1', changes: { gain_db: -20 } } } as StampedOp;
    const out = apply(laptop.doc, early);
    expect(out.result.status).toBe('superseded');
    expect(out.doc.tracks[1]!.gain_db).toBe(-3);
  });
});

describe('list positions: adding a track or a plugin costs no copy of every position', () => {
  it('building a mixer track by track never builds the flat positions record; reading it then gives every element', () => {
    const laptop = new Replica('laptop');
    const docs: SessionDocument[] = [];
    for (let t = 0; t < 40; t++) {
      laptop.edit({ id: opId(), type: 'ADD_TRACK', data: { track: { id: `t${t}`, name: `Track ${t}`, chain: [{ id: 'eq', type: 'eq' }] } } });
      laptop.edit({ id: opId(), type: 'ADD_PLUGIN', data: { track_id: `t${t}`, plugin: { id: 'comp', type: 'compressor' }, index: 0 } });
      docs.push(laptop.doc);
    }
    // Built lazily: nothing on the op path read `meta.positions` as a whole (a publish of 2,000 tracks copied it 6,000 times).
    for (const doc of docs) expect(Object.getOwnPropertyDescriptor(doc.meta, 'positions')!.get).toBeDefined();
    const last = docs.at(-1)!;
    expect(Object.keys(last.meta.positions)).toHaveLength(40 * 3);
    expect(last.tracks.map((t) => t.id)).toEqual(Array.from({ length: 40 }, (_, t) => `t${t}`));
    expect(last.tracks.every((t) => t.chain.map((p) => p.id).join() === 'comp,eq')).toBe(true);
    expect(Object.getOwnPropertyDescriptor(last.meta, 'positions')!.value).toBe(last.meta.positions);
  });

  it('placing one track in a mixer of 2,000 reads a handful of order keys, and lands where sorting would put it', () => {
    const big = new Replica('laptop');
    const tracks = Array.from({ length: 2000 }, (_, t) => ({ id: `t${t}`, name: `Track ${t}` }));
    big.edit({ id: opId(), type: 'BATCH', data: { ops: tracks.slice(0, 256).map((track) => ({ id: opId(), type: 'ADD_TRACK', data: { track } })) } });
    for (const track of tracks.slice(256)) big.edit({ id: opId(), type: 'ADD_TRACK', data: { track } });
    for (const index of [0, 7, 1000, undefined]) {
      // A saved document whose positions count every read.
      const doc = plain(big.doc);
      let reads = 0;
      const counted = new Proxy(doc.meta.positions, { get: (target, key) => (reads++, Reflect.get(target, key)) });
      const measured = { ...doc, meta: { ...doc.meta, positions: counted } };
      const op = stampOp(measured, { id: opId(), type: 'ADD_TRACK', data: { track: { id: `new${index}`, name: 'New' }, ...(index === undefined ? {} : { index }) } }, big.clock);
      const out = apply(measured, op);
      expect(reads).toBeLessThan(60);
      const ids = out.doc.tracks.map((t) => t.id);
      expect(ids.indexOf(`new${index}`)).toBe(index ?? 2000);
      // Exactly the order a full sort by (position, id) gives.
      const sorted = [...out.doc.tracks].sort((a, b) => {
        const pa = out.doc.meta.positions[`t:${a.id}`]!;
        const pb = out.doc.meta.positions[`t:${b.id}`]!;
        return pa !== pb ? (pa < pb ? -1 : 1) : a.id < b.id ? -1 : 1;
      });
      expect(ids).toEqual(sorted.map((t) => t.id));
    }
  });

  it('gives the same documents as plain ones through adds, moves and removals, in any order', () => {
    const shared = new Replica('laptop');
    let reference = plain(shared.doc);
    for (let i = 0; i < 300; i++) {
      const t = `t${i % 23}`;
      const op: AnyOp = [
        { id: opId(), type: 'ADD_TRACK', data: { track: { id: t, name: 'T', chain: [{ id: 'eq', type: 'eq' }] }, index: i % 5 } },
        { id: opId(), type: 'ADD_PLUGIN', data: { track_id: t, plugin: { id: `p${i % 4}`, type: 'gain' }, index: i % 3 } },
        { id: opId(), type: 'MOVE_PLUGIN', data: { track_id: t, plugin_id: 'eq', index: i % 2 } },
        { id: opId(), type: 'MOVE_TRACK', data: { track_id: t, index: i % 7 } },
        { id: opId(), type: 'REMOVE_PLUGIN', data: { track_id: t, plugin_id: `p${(i + 1) % 4}` } },
      ][i % 5] as AnyOp;
      const stamped = stampOp(shared.doc, op, shared.clock);
      const out = apply(shared.doc, stamped);
      if (out.result.status === 'error') continue;
      shared.doc = out.doc;
      reference = plain(apply(reference, stamped).doc);
      if (i % 50 === 0) expect(structuredClone(shared.doc)).toEqual(reference);
    }
    expect(JSON.stringify(shared.doc)).toBe(JSON.stringify(reference));
  });
});
