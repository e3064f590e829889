import { describe, expect, it } from 'vitest';
import { SessionDocumentSchema, type SessionDocument, type SessionDocumentInput } from '../../src/protocol/session.ts';
import { SessionGraph, type EngineCore } from '../../wasm/host/index.ts';
import { engine, noise } from './helpers.ts';

type Tracks = NonNullable<SessionDocumentInput['tracks']>;
const doc = (tracks: Tracks, master: SessionDocumentInput['master'] = undefined): SessionDocument =>
  SessionDocumentSchema.parse({ format: 'outboard.session/1', id: 's', name: 's', tracks, ...(master ? { master } : {}) });

const input = (chain: Tracks[number]['chain'], extra: Partial<Tracks[number]> = {}): Tracks[number] =>
  ({ id: 'in', name: 'In', source: { kind: 'input' }, chain, ...extra });

/** Feeds `blocks` blocks of `signal` (a constant or noise) and returns the output energy. */
function feed(core: EngineCore, blocks: number, signal: 'noise' | number): number {
  const n = noise(blocks * core.blockSize, 7);
  let energy = 0;
  for (let b = 0; b < blocks; b++) {
    const [l, r] = core.input;
    for (let i = 0; i < core.blockSize; i++) l[i] = r[i] = signal === 'noise' ? (n[b * core.blockSize + i] as number) * 0.5 : signal;
    core.process();
    for (const v of core.output[0]) energy += v * v;
  }
  return energy;
}

describe('SessionGraph projects documents onto the engine', () => {
  it('moving a plugin keeps its state: a reverb tail survives the move', async () => {
    const core = await engine();
    const graph = new SessionGraph(core);
    graph.setDocument(doc([input([{ id: 'g', type: 'gain' }, { id: 'r', type: 'reverb', params: { mix: 1, room_size: 0.9 } }])]));
    feed(core, 100, 'noise');
    graph.setDocument(doc([input([{ id: 'r', type: 'reverb', params: { mix: 1, room_size: 0.9 } }, { id: 'g', type: 'gain' }])]));
    expect(feed(core, 20, 0)).toBeGreaterThan(1);
    // A reverb inserted fresh has no tail to play.
    graph.setDocument(doc([input([{ id: 'r2', type: 'reverb', params: { mix: 1 } }])]));
    feed(core, 2, 0);
    expect(feed(core, 20, 0)).toBe(0);
  });

  it('param changes reach the engine (and only changed values are sent)', async () => {
    const core = await engine();
    const graph = new SessionGraph(core);
    graph.setDocument(doc([input([{ id: 'g', type: 'gain', params: { gain_db: 0, pan: 0 } }])]));
    feed(core, 10, 0.5);
    expect(core.output[0][127]).toBeCloseTo(0.5, 6);
    // Every param write the graph makes, from here on.
    const writes: number[][] = [];
    const setParam = core.setParam.bind(core);
    core.setParam = (slot, index, param, value) => {
      writes.push([slot, index, param, value]);
      setParam(slot, index, param, value);
    };
    graph.setDocument(doc([input([{ id: 'g', type: 'gain', params: { gain_db: -6.020599913, pan: 0 } }])]));
    feed(core, 10, 0.5);
    expect(core.output[0][127]).toBeCloseTo(0.25, 5);
    // One value changed, one write: pan and invert, unchanged, are not sent again.
    expect(writes).toEqual([[graph.slotOf('in'), 0, 0, -6.020599913]]);
    writes.length = 0;
    graph.setDocument(doc([input([{ id: 'g', type: 'gain', params: { gain_db: -6.020599913, pan: 0 } }])]));
    expect(writes).toEqual([]);
  });

  it('a type change under the same id replaces the plugin; bypass fades it out', async () => {
    const core = await engine();
    const graph = new SessionGraph(core);
    graph.setDocument(doc([input([{ id: 'p', type: 'gain', params: { gain_db: -60 } }])]));
    feed(core, 10, 0.5);
    expect(Math.abs(core.output[0][127] as number)).toBeLessThan(0.001);
    graph.setDocument(doc([input([{ id: 'p', type: 'filter', params: { mode: 0, cutoff: 20000 } }])]));
    feed(core, 20, 0.5);
    expect(core.output[0][127]).toBeCloseTo(0.5, 3);
    graph.setDocument(doc([input([{ id: 'p', type: 'gain', params: { gain_db: -60 }, bypass: true }])]));
    feed(core, 20, 0.5);
    expect(core.output[0][127]).toBeCloseTo(0.5, 6);
  });

  it('removing a track silences it and frees its slot for the next one', async () => {
    const core = await engine();
    const graph = new SessionGraph(core);
    graph.setDocument(doc([input([])]));
    expect(feed(core, 5, 0.5)).toBeGreaterThan(0);
    const slot = graph.slotOf('in');
    graph.setDocument(doc([]));
    expect(feed(core, 5, 0.5)).toBe(0);
    expect(graph.slotOf('in')).toBeUndefined();
    graph.setDocument(doc([{ id: 'other', name: 'Other', source: { kind: 'input' } }]));
    expect(graph.slotOf('other')).toBe(slot);
  });

  it('sends feed bus tracks; solo mutes the other tracks but not the buses', async () => {
    const core = await engine();
    const graph = new SessionGraph(core);
    const tracks: Tracks = [
      input([], { sends: [{ target: 'bus', gain_db: 0 }], gain_db: -60, mute: true }),
      { id: 'bus', name: 'Bus', source: { kind: 'bus' }, chain: [{ id: 'g', type: 'gain', params: { gain_db: -6.020599913 } }] },
    ];
    // A muted track sends nothing (sends are post-fader).
    graph.setDocument(doc(tracks));
    feed(core, 10, 0.5);
    expect(core.output[0][127]).toBe(0);
    tracks[0] = input([], { sends: [{ target: 'bus', gain_db: 0 }], gain_db: 0 });
    graph.setDocument(doc(tracks));
    feed(core, 10, 0.5);
    // Track 0.5 + bus (0.5 at -6 dB) = 0.75.
    expect(core.output[0][127]).toBeCloseTo(0.75, 4);
    tracks.push({ id: 'other', name: 'Other', source: { kind: 'input' }, solo: true });
    graph.setDocument(doc(tracks));
    feed(core, 10, 0.5);
    // Soloed "other" (0.5) + the bus, whose feeder is now solo-muted: 0.5.
    expect(core.output[0][127]).toBeCloseTo(0.5, 4);
  });

  it('the master chain and fader apply to the sum', async () => {
    const core = await engine();
    const graph = new SessionGraph(core);
    graph.setDocument(doc([input([])], { id: 'master', name: 'Master', gain_db: -6.020599913, pan: 1, chain: [{ id: 'm', type: 'gain', params: { invert: 1 } }] }));
    feed(core, 10, 0.5);
    expect(Math.abs(core.output[0][127] as number)).toBe(0);
    expect(core.output[1][127]).toBeCloseTo(-0.25, 5);
    expect(graph.levels().get('master')?.peak).toBeCloseTo(-12.04, 1);
  });
});
