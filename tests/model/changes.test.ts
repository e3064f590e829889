import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { apply, changesOf, compileDocument, HlcClock, stampOp, type EngineChange, type StampedOp } from '../../src/model/index.ts';
import type { AnyOp, Op } from '../../src/protocol/ops.ts';
import type { SessionDocument } from '../../src/protocol/session.ts';
import { FACTORY_PRESETS, PLUGINS } from '../../src/plugins/index.ts';
import { EngineGraph, pluginCode, type GraphCommand, type GraphSink } from '../../wasm/host/index.ts';
import { Replica } from './fixtures.ts';

const LIMITS = { maxTracks: 64, masterSlot: 64, maxPlugins: 16, maxSends: 8 };

/** Applies `op` to the replica and answers the engine changes it yields. */
function changes(r: Replica, op: AnyOp): EngineChange[] {
  const before = r.doc;
  const { op: stamped, result } = r.edit(op);
  expect(result.status).toBe('applied');
  return changesOf(before, r.doc, stamped);
}

function session(): Replica {
  const r = new Replica('n_a');
  r.edit({ id: 'o1', type: 'ADD_TRACK', data: { track: { id: 't1', name: 'Lead', chain: [{ id: 'syn', type: 'synth' }, { id: 'eq', type: 'eq' }] } } });
  r.edit({ id: 'o2', type: 'ADD_TRACK', data: { track: { id: 'bus', name: 'Verb', source: { kind: 'bus' } } } });
  return r;
}

describe('an applied op yields the engine changes it made, and nothing else', () => {
  it('a knob is one param write with the applied value; a preset writes only the params it changed', () => {
    const r = session();
    expect(changes(r, { id: 'x', type: 'PLUGIN_PARAMETER', data: { track_id: 't1', plugin_id: 'eq', parameter_id: 'low_gain', parameter_value: -3 } }))
      .toEqual([{ kind: 'param', track: 't1', plugin: 'eq', param: 'low_gain', value: -3 }]);
    const preset = FACTORY_PRESETS.find((p) => p.plugin_type === 'eq')!;
    const out = changes(r, { id: 'y', type: 'LOAD_PRESET', data: { track_id: 't1', plugin_id: 'eq', preset_id: preset.id } });
    expect(out.length).toBeGreaterThan(0);
    for (const c of out) expect(c).toMatchObject({ kind: 'param', track: 't1', plugin: 'eq' });
  });

  it('a track update yields one change per engine field it touched; a rename yields none', () => {
    const r = session();
    expect(changes(r, { id: 'x', type: 'UPDATE_TRACK', data: { track_id: 't1', changes: { gain_db: -6, pan: 0.5, mute: true, solo: true, name: 'Bass' } } })).toEqual([
      { kind: 'track-value', track: 't1', field: 'gain_db', value: -6 },
      { kind: 'track-value', track: 't1', field: 'pan', value: 0.5 },
      { kind: 'track-value', track: 't1', field: 'mute', value: 1 },
      { kind: 'solo', track: 't1', solo: true },
    ]);
    expect(changes(r, { id: 'y', type: 'UPDATE_TRACK', data: { track_id: 't1', changes: { name: 'Keys' } } })).toEqual([]);
    const sends = [{ target: 'bus', gain_db: -12 }];
    expect(changes(r, { id: 'z', type: 'UPDATE_TRACK', data: { track_id: 't1', changes: { sends, source: { kind: 'input' }, pattern: null } } })).toEqual([
      { kind: 'sends', track: 't1', sends },
      { kind: 'source', track: 't1', source: { kind: 'input' } },
    ]);
  });

  it('graph ops yield graph changes with positions in the applied chain', () => {
    const r = session();
    expect(changes(r, { id: 'a', type: 'ADD_PLUGIN', data: { track_id: 't1', plugin: { id: 'dly', type: 'delay' }, index: 1 } })).toEqual([
      { kind: 'plugin-added', track: 't1', plugin: r.doc.tracks[0]!.chain[1], index: 1 },
    ]);
    expect(changes(r, { id: 'b', type: 'MOVE_PLUGIN', data: { track_id: 't1', plugin_id: 'syn', index: 2 } })).toEqual([{ kind: 'plugin-moved', track: 't1', plugin: 'syn', index: 2 }]);
    expect(changes(r, { id: 'c', type: 'BYPASS_PLUGIN', data: { track_id: 't1', plugin_id: 'eq', bypass: true } })).toEqual([{ kind: 'bypass', track: 't1', plugin: 'eq', bypass: true }]);
    expect(changes(r, { id: 'd', type: 'REMOVE_PLUGIN', data: { track_id: 't1', plugin_id: 'eq' } })).toEqual([{ kind: 'plugin-removed', track: 't1', plugin: 'eq' }]);
    expect(changes(r, { id: 'e', type: 'ADD_TRACK', data: { track: { id: 't2', name: 'New' } } })).toEqual([{ kind: 'track', track: r.doc.tracks.find((t) => t.id === 't2') }]);
    expect(changes(r, { id: 'f', type: 'REMOVE_TRACK', data: { track_id: 't2' } })).toEqual([{ kind: 'track-removed', track: 't2' }]);
    expect(changes(r, { id: 'g', type: 'UPDATE_SESSION', data: { changes: { tempo_bpm: 90, name: 'Song' } } })).toEqual([{ kind: 'tempo', bpm: 90 }]);
    expect(changes(r, { id: 'h', type: 'MOVE_TRACK', data: { track_id: 't1', index: 1 } })).toEqual([]);
  });

  it('a BATCH yields its applied sub-ops in order; a superseded sub-op yields nothing', () => {
    const r = session();
    // A stale write from another device: its stamp is older than the one below.
    const stale = stampOp(r.doc, { id: 's', type: 'PLUGIN_PARAMETER', data: { track_id: 't1', plugin_id: 'eq', parameter_id: 'mid1_gain', parameter_value: 9 } }, new HlcClock('n_old', () => 1));
    changes(r, { id: 'p', type: 'PLUGIN_PARAMETER', data: { track_id: 't1', plugin_id: 'eq', parameter_id: 'mid1_gain', parameter_value: 2 } });
    const before = r.doc;
    const out = apply(before, stale);
    expect(out.result.status).toBe('superseded');
    const batch = r.edit({ id: 'b', type: 'BATCH', data: { ops: [
      { id: 'b1', type: 'ADD_PLUGIN', data: { track_id: 't1', plugin: { id: 'g', type: 'gain' }, index: 0 } },
      { id: 'b2', type: 'PLUGIN_PARAMETER', data: { track_id: 't1', plugin_id: 'g', parameter_id: 'gain_db', parameter_value: -6 } },
      { id: 'b3', type: 'ADD_PLUGIN', data: { track_id: 't1', plugin: { id: 'g', type: 'gain' } } },
    ] } });
    expect(batch.result.status).toBe('applied');
    expect(changesOf(before, r.doc, batch.op).map((c) => c.kind)).toEqual(['plugin-added', 'param']);
  });

  it('a whole document compiles to the tempo and every track, the master last', () => {
    const r = session();
    expect(compileDocument(r.doc).map((c) => (c.kind === 'track' ? c.track.id : c.kind))).toEqual(['tempo', 't1', 'bus', 'master']);
  });
});

/** A track slot as the engine resets it: no solo, no sample, no sends. */
const empty = () => ({ values: [] as number[], rest: { solo: { on: false }, sample: { sample: null }, sends: { targets: [], gains: [] } } as Record<string, unknown>, chain: [] as { code: number; values: number[]; bypass: boolean }[] });

/** A stand-in engine that runs graph commands on plain records, addressed by slot (the real one is tested in tests/wasm). */
class RecordingEngine implements GraphSink {
  tempo = NaN;
  readonly tracks = new Map<number, { values: number[]; rest: Record<string, unknown>; chain: { code: number; values: number[]; bypass: boolean }[] }>();
  writes = 0;
  commands = 0;

  param(t: number, p: number, i: number, v: number): void {
    this.writes++;
    this.tracks.get(t)!.chain[p]!.values[i] = v;
  }

  trackValue(t: number, f: number, v: number): void {
    this.writes++;
    this.track(t).values[f] = v;
  }

  command(c: GraphCommand): void {
    this.commands++;
    switch (c.op) {
      case 'tempo': this.tempo = c.bpm; return;
      case 'track-open': this.tracks.set(c.slot, empty()); return;
      case 'track-close': this.tracks.delete(c.slot); return;
      case 'source': case 'sample': case 'solo': case 'pattern': case 'sends': {
        const { op, slot: _slot, ...rest } = c;
        Object.assign(this.track(c.slot).rest, { [op]: rest });
        return;
      }
      case 'insert': this.track(c.slot).chain.splice(c.index, 0, { code: c.code, values: [...c.values], bypass: false }); return;
      case 'remove': this.track(c.slot).chain.splice(c.index, 1); return;
      case 'move': { const chain = this.track(c.slot).chain; chain.splice(c.to, 0, ...chain.splice(c.from, 1)); return; }
      case 'retype': this.track(c.slot).chain[c.index] = { code: c.code, values: [...c.values], bypass: false }; return;
      case 'bypass': this.track(c.slot).chain[c.index]!.bypass = c.on; return;
    }
  }

  private track(slot: number) {
    let t = this.tracks.get(slot);
    if (!t) this.tracks.set(slot, (t = empty())); // the master is never opened
    return t;
  }

  /** What the engine plays, by track id (slots may differ between two histories; sends name ids). */
  view(graph: EngineGraph): unknown {
    const ids = new Map([...graph.slots()].map(([id, slot]) => [slot, id]));
    const out: Record<string, unknown> = {};
    for (const [id, slot] of graph.slots()) {
      const t = this.track(slot);
      const sends = t.rest.sends as { targets: number[]; gains: number[] } | undefined;
      out[id] = { ...t, rest: { ...t.rest, sends: sends && { targets: sends.targets.map((s) => ids.get(s)), gains: sends.gains } } };
    }
    return { tempo: this.tempo, tracks: out };
  }
}

type Step = { kind: number; a: number; b: number; c: number; v: number };
const step = fc.record({ kind: fc.nat(15), a: fc.nat(1000), b: fc.nat(1000), c: fc.nat(1000), v: fc.double({ min: 0, max: 1, noNaN: true }) });
const pick = <T>(items: readonly T[], n: number): T | undefined => (items.length ? items[n % items.length] : undefined);

/** An op for step `s` against `doc` (some refer to things that are gone: refused or superseded, as on a real wire). */
function opFor(doc: SessionDocument, s: Step, id: string): Op {
  const track = pick([...doc.tracks, doc.master], s.a) ?? doc.master;
  const plugin = pick(track.chain, s.b);
  const other = pick(doc.tracks, s.c);
  switch (s.kind) {
    case 0: return { id, type: 'ADD_TRACK', data: { track: { id: `t_${id}`, name: 'T', source: s.b % 2 ? { kind: 'bus' } : { kind: 'file', sample_id: `smp${s.c % 3}`, name: 'loop.wav' } }, index: s.c % 4 } };
    case 1: return { id, type: 'REMOVE_TRACK', data: { track_id: track.id } };
    case 2: return { id, type: 'UPDATE_TRACK', data: { track_id: track.id, changes: s.b % 2 ? { gain_db: Math.round(s.v * 60) - 48, pan: s.v * 2 - 1 } : { mute: s.c % 2 === 0, solo: s.b % 3 === 0 } } };
    case 3: return { id, type: 'UPDATE_TRACK', data: { track_id: track.id, changes: { sends: other && other.id !== track.id ? [{ target: other.id, gain_db: -s.c % 40 }] : [] } } };
    case 4: return { id, type: 'UPDATE_TRACK', data: { track_id: track.id, changes: { pattern: s.b % 2 ? null : { steps: Array.from({ length: 16 }, (_, i) => (i % 4 === s.c % 4 ? 60 : null)) } } } };
    case 5: return { id, type: 'ADD_PLUGIN', data: { track_id: track.id, plugin: { id: `p_${id}`, type: pick(PLUGINS, s.b)!.id }, index: s.c % 3 } };
    case 6: return { id, type: 'REMOVE_PLUGIN', data: { track_id: track.id, plugin_id: plugin?.id ?? 'p_none' } };
    case 7: return { id, type: 'MOVE_PLUGIN', data: { track_id: track.id, plugin_id: plugin?.id ?? 'p_none', index: s.c % 4 } };
    case 8: return { id, type: 'BYPASS_PLUGIN', data: { track_id: track.id, plugin_id: plugin?.id ?? 'p_none', bypass: s.c % 2 === 0 } };
    case 9: case 10: case 11: {
      const d = plugin ? pick(PLUGINS.find((p) => p.id === plugin.type)!.params, s.c)! : undefined;
      const value = d ? (d.choices ? s.c % d.choices.length : d.step ? Math.round(d.min + (d.max - d.min) * s.v) : d.min + (d.max - d.min) * s.v) : 0;
      return { id, type: 'PLUGIN_PARAMETER', data: { track_id: track.id, plugin_id: plugin?.id ?? 'p_none', parameter_id: d?.id ?? 'gain_db', parameter_value: value } };
    }
    case 12: return { id, type: 'LOAD_PRESET', data: { track_id: track.id, plugin_id: plugin?.id ?? 'p_none', preset_id: pick(FACTORY_PRESETS, s.c)!.id } };
    case 13: return { id, type: 'MOVE_TRACK', data: { track_id: track.id, index: s.c % 4 } };
    default: return { id, type: 'UPDATE_SESSION', data: { changes: { tempo_bpm: 60 + (s.a % 120) } } };
  }
}

describe('projecting each op\'s changes gives the engine the compiled final document', () => {
  it('local ops, stale remote ops and batches, one by one, end where compileDocument(final) puts a fresh engine', () => {
    fc.assert(fc.property(fc.array(fc.array(step, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 60 }), fc.nat(), (groups, seed) => {
      const base = new Replica('n_base');
      base.edit({ id: 'i1', type: 'ADD_TRACK', data: { track: { id: 'ta', name: 'A', chain: [{ id: 'c1', type: 'compressor' }, { id: 'e1', type: 'eq' }, { id: 'd1', type: 'delay' }] } } });
      base.edit({ id: 'i2', type: 'ADD_TRACK', data: { track: { id: 'tb', name: 'B', source: { kind: 'bus' }, chain: [{ id: 's2', type: 'synth' }, { id: 'r2', type: 'reverb' }] } } });
      base.edit({ id: 'i3', type: 'ADD_PLUGIN', data: { track_id: 'master', plugin: { id: 'm1', type: 'gain' } } });
      let doc = base.doc;
      const local = new HlcClock('n_local', () => 1_700_000_000_000);
      // A device whose clock is behind: its writes often lose (superseded) when they land.
      const remote = new HlcClock('n_remote', () => 1_600_000_000_000);
      const incremental = new RecordingEngine();
      const live = new EngineGraph(LIMITS, incremental);
      live.load(compileDocument(doc));
      let n = 0;
      for (const [g, steps] of groups.entries()) {
        const ops = steps.map((s) => opFor(doc, s, `o${seed % 97}_${n++}`));
        const op: AnyOp = ops.length > 1 && g % 3 === 0 ? { id: `b${n++}`, type: 'BATCH', data: { ops } } : ops[0]!;
        const stamped: StampedOp = stampOp(doc, op, (g + seed) % 4 === 0 ? remote : local);
        const out = apply(doc, stamped);
        if (out.result.status !== 'applied') continue;
        live.apply(changesOf(doc, out.doc, stamped));
        doc = out.doc;
      }
      const compiled = new RecordingEngine();
      const fresh = new EngineGraph(LIMITS, compiled);
      fresh.load(compileDocument(doc));
      expect(incremental.view(live)).toEqual(compiled.view(fresh));
      // ... which is the document: every track, its values, solo, chain and bypasses.
      const view = compiled.view(fresh) as { tracks: Record<string, { values: number[]; rest: Record<string, unknown>; chain: { code: number; bypass: boolean }[] }> };
      expect(Object.keys(view.tracks).sort()).toEqual([...doc.tracks, doc.master].map((t) => t.id).sort());
      for (const t of [...doc.tracks, doc.master]) {
        const held = view.tracks[t.id]!;
        expect(held.values).toEqual([t.gain_db, t.pan, t.mute ? 1 : 0]);
        expect(held.rest.solo).toEqual({ on: t.solo });
        expect(held.chain.map((p) => [p.code, p.bypass])).toEqual(t.chain.map((p) => [pluginCode(p.type), p.bypass]));
      }
      // And a resync with the same document sends nothing: no write, no command.
      const sent = incremental.writes + incremental.commands;
      live.load(compileDocument(doc));
      expect(incremental.writes + incremental.commands).toBe(sent);
    }), { numRuns: 150 });
  });
});
