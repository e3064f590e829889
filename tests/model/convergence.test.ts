import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { apply, parseSessionDocument, type StampedOp } from '../../src/model/index.ts';
import type { AnyOp, Op } from '../../src/protocol/ops.ts';
import { FACTORY_PRESETS, PLUGINS } from '../../src/plugins/index.ts';
import { Replica } from './fixtures.ts';

/**
 * Three devices edit one session concurrently (a laptop, a tablet, a
 * bandmate). Every replica receives every op, each device's own ops in the
 * order it made them but interleaved arbitrarily with the others', with
 * duplicates — and all replicas end with the same document.
 */

type Step = { kind: number; a: number; b: number; c: number; v: number };
const step = fc.record({ kind: fc.nat(13), a: fc.nat(1000), b: fc.nat(1000), c: fc.nat(1000), v: fc.double({ min: -0.2, max: 1.2, noNaN: true }) });

function baseReplica(): Replica {
  const r = new Replica('base');
  r.edit({ id: 'b1', type: 'ADD_TRACK', data: { track: { id: 't1', name: 'Drums', chain: [{ id: 'c1', type: 'compressor' }, { id: 'e1', type: 'eq' }] } } });
  r.edit({ id: 'b2', type: 'ADD_TRACK', data: { track: { id: 't2', name: 'Keys', chain: [{ id: 's2', type: 'synth' }, { id: 'd2', type: 'delay' }] } } });
  r.edit({ id: 'b3', type: 'ADD_PLUGIN', data: { track_id: 'master', plugin: { id: 'm1', type: 'reverb' } } });
  return r;
}

const pick = <T>(items: readonly T[], n: number): T | undefined => (items.length ? items[n % items.length] : undefined);

/** Turns an abstract step into a concrete op against the device's current document. */
function opFor(device: Replica, name: string, s: Step, seq: () => string): Op | undefined {
  const doc = device.doc;
  const tracks = [...doc.tracks, doc.master];
  const track = pick(tracks, s.a);
  const plugin = track ? pick(track.chain, s.b) : undefined;
  const id = seq();
  switch (s.kind) {
    case 0: return { id, type: 'ADD_TRACK', data: { track: { id: `${name}_t${id}`, name: `T${s.b}` }, index: s.c % 4 } };
    case 1: return track ? { id, type: 'REMOVE_TRACK', data: { track_id: track.id } } : undefined;
    case 2: return track ? { id, type: 'UPDATE_TRACK', data: { track_id: track.id, changes: s.b % 2 ? { gain_db: Math.round(s.v * 20) - 10 } : { mute: s.c % 2 === 0, name: `n${s.c}` } } } : undefined;
    case 3: return track ? { id, type: 'ADD_PLUGIN', data: { track_id: track.id, plugin: { id: `${name}_p${id}`, type: pick(PLUGINS, s.b)!.id }, index: s.c % 3 } } : undefined;
    case 4: return track && plugin ? { id, type: 'REMOVE_PLUGIN', data: { track_id: track.id, plugin_id: plugin.id } } : undefined;
    case 5: return track && plugin ? { id, type: 'MOVE_PLUGIN', data: { track_id: track.id, plugin_id: plugin.id, index: s.c % 4 } } : undefined;
    case 6: return track && plugin ? { id, type: 'BYPASS_PLUGIN', data: { track_id: track.id, plugin_id: plugin.id, bypass: s.c % 2 === 0 } } : undefined;
    case 7:
    case 8: {
      if (!track || !plugin) return undefined;
      const d = pick(PLUGINS.find((p) => p.id === plugin.type)!.params, s.c)!;
      return { id, type: 'PLUGIN_PARAMETER', data: { track_id: track.id, plugin_id: plugin.id, parameter_id: d.id, parameter_value: d.min + (d.max - d.min) * s.v } };
    }
    case 9: return track && plugin ? { id, type: 'LOAD_PRESET', data: { track_id: track.id, plugin_id: plugin.id, preset_id: s.c % 3 === 0 ? `user${s.c % 2}` : pick(FACTORY_PRESETS, s.c)!.id } } : undefined;
    case 10: {
      const type = pick(PLUGINS, s.b)!;
      return { id, type: 'SAVE_PRESET', data: { preset: { id: `user${s.c % 2}`, name: `U${s.a}`, plugin_type: type.id, params: { [type.params[0]!.id]: type.params[0]!.default } } } };
    }
    case 12: return track ? { id, type: 'MOVE_TRACK', data: { track_id: track.id, index: s.c % 4 } } : undefined;
    default: return { id, type: 'UPDATE_SESSION', data: { changes: { tempo_bpm: 60 + (s.a % 120) } } };
  }
}

/** One device's ops: made and applied locally in order, as the UI would; the ones it accepted go out. */
function deviceOps(name: string, index: number, base: Replica, steps: Step[][]): StampedOp[] {
  let tick = 0;
  const device = new Replica(name, structuredClone(base.doc), () => 1_800_000_000_000 + (tick += 3) + index);
  let n = 0;
  const seq = () => `${name}${++n}`;
  const out: StampedOp[] = [];
  for (const group of steps) {
    const ops = group.map((s) => opFor(device, name, s, seq)).filter((o): o is Op => o !== undefined);
    if (ops.length === 0) continue;
    const op: AnyOp = ops.length === 1 ? ops[0]! : { id: seq(), type: 'BATCH', data: { ops } };
    // An op its own device refuses is never sent (the relay would refuse it too).
    const { op: stamped, result } = device.edit(op);
    if (result.status !== 'error') out.push(stamped);
  }
  return out;
}

/** Interleaves the devices' streams by `choices`, keeping each stream's order, and re-delivers some ops. */
function deliver(streams: StampedOp[][], choices: number[], dupes: number[]): StampedOp[] {
  const cursors = streams.map(() => 0);
  const out: StampedOp[] = [];
  let c = 0;
  while (cursors.some((k, i) => k < streams[i]!.length)) {
    const open = streams.map((s, i) => i).filter((i) => cursors[i]! < streams[i]!.length);
    const i = open[(choices[c++ % Math.max(choices.length, 1)] ?? 0) % open.length]!;
    out.push(streams[i]![cursors[i]!++]!);
  }
  // A re-delivery (a resend after a reconnect) lands somewhere after the original.
  for (const d of dupes) {
    if (!out.length) break;
    const original = d % out.length;
    out.splice(original + 1 + ((d >> 8) % (out.length - original)), 0, out[original]!);
  }
  return out;
}

const script = fc.array(fc.array(step, { minLength: 1, maxLength: 3 }), { maxLength: 14 });

describe('convergence', () => {
  it('three replicas receiving the same ops in different orders, with duplicates, end deep-equal', () => {
    fc.assert(
      fc.property(
        fc.tuple(script, script, script),
        fc.array(fc.array(fc.nat(), { maxLength: 60 }), { minLength: 3, maxLength: 3 }),
        fc.array(fc.nat(), { maxLength: 6 }),
        ([a, b, c], orders, dupes) => {
          const base = baseReplica();
          const streams = [deviceOps('lap', 0, base, a), deviceOps('tab', 1, base, b), deviceOps('mate', 2, base, c)];
          const finals = orders.map((order) => {
            let doc = base.doc;
            for (const op of deliver(streams, order, dupes)) {
              const before = doc;
              const out = apply(doc, op);
              // Accepted where it was made, an op is never an error elsewhere: at worst superseded.
              expect(out.result.status).not.toBe('error');
              if (out.result.status !== 'applied') expect(out.doc).toBe(before);
              doc = out.doc;
            }
            return doc;
          });
          expect(finals[1]).toEqual(finals[0]);
          expect(finals[2]).toEqual(finals[0]);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('a rejected op leaves the document deep-equal to before', () => {
    fc.assert(
      fc.property(script, fc.array(step, { maxLength: 20 }), (setup, probes) => {
        const base = baseReplica();
        const device = new Replica('probe', structuredClone(base.doc));
        for (const op of deviceOps('dev', 0, base, setup)) device.doc = apply(device.doc, op).doc;
        let n = 0;
        for (const s of probes) {
          const op = opFor(device, 'x', { ...s, v: s.v * 50 - 20 }, () => `probe${++n}`);
          if (!op) continue;
          const before = structuredClone(device.doc);
          const { result } = device.edit(op);
          if (result.status !== 'applied') expect(device.doc).toEqual(before);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('a document survives a JSON round trip and re-validation unchanged', () => {
    fc.assert(
      fc.property(script, (steps) => {
        const base = baseReplica();
        const device = new Replica('rt', structuredClone(base.doc));
        for (const op of deviceOps('dev', 0, base, steps)) device.doc = apply(device.doc, op).doc;
        const text = JSON.stringify(device.doc);
        expect(JSON.parse(text)).toEqual(device.doc);
        const parsed = parseSessionDocument(text);
        expect(parsed.ok && parsed.value).toEqual(device.doc);
      }),
      { numRuns: 150 },
    );
  });
});
