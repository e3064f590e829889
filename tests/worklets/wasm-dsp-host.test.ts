import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createDspHost } from '../../worklets/wasm-dsp-host.ts';
import { hostSink } from '../../worklets/dsp-host.ts';
import { compileDocument } from '../../src/model/index.ts';
import { EngineGraph } from '../../wasm/host/index.ts';
import { SessionDocumentSchema, type SessionDocumentInput } from '../../src/protocol/session.ts';

const WASM = fileURLToPath(new URL('../../wasm/engine.wasm', import.meta.url));

const doc = (chain: SessionDocumentInput['tracks']) => SessionDocumentSchema.parse({
  format: 'outboard.session/1', id: 's', name: 's', tracks: chain,
});

/** Runs `blocks` blocks with a steady 0.5 on the live input; returns the last output sample. */
function run(host: Awaited<ReturnType<typeof createDspHost>>, blocks: number): number {
  for (let b = 0; b < blocks; b++) {
    host.input(0).fill(0.5);
    host.input(1).fill(0.5);
    host.process();
  }
  return host.output(0)[127]!;
}

async function setup() {
  const host = await createDspHost((await readFile(WASM)).buffer as ArrayBuffer, 48_000);
  return { host, graph: new EngineGraph(host.limits, hostSink(host)) };
}

describe('the worklet host over engine.wasm', () => {
  it('tracks get the slots ring records address, in document order', async () => {
    const { host, graph } = await setup();
    graph.load(compileDocument(doc([
      { id: 'a', name: 'A', chain: [{ id: 'g1', type: 'gain' }, { id: 'f1', type: 'filter' }] },
      { id: 'b', name: 'B', chain: [{ id: 'g2', type: 'gain' }] },
    ])));
    expect([...graph.slots()]).toEqual([['master', host.masterSlot], ['a', 0], ['b', 1]]);
  });

  it('a knob turned and turned back, then a structural reload, ends where the document says', async () => {
    const { host, graph } = await setup();
    type Plugin = { id: string; type: string; params?: Record<string, number> };
    const track = (extra: Plugin[]) => [{ id: 'in', name: 'In', source: { kind: 'input' as const }, chain: [{ id: 'g', type: 'gain', params: { gain_db: 0 } }, ...extra] }];
    graph.load(compileDocument(doc(track([]))));
    const unity = run(host, 40);
    expect(unity).toBeGreaterThan(0.1);
    graph.apply([{ kind: 'param', track: 'in', plugin: 'g', param: 'gain_db', value: -60 }]);
    expect(run(host, 40)).toBeLessThan(unity / 100);
    // A resync: the knob is back at 0 dB *and* a plugin was added.
    graph.load(compileDocument(doc(track([{ id: 'g2', type: 'gain', params: { gain_db: 0 } }]))));
    expect(run(host, 40)).toBeCloseTo(unity, 3);
  });

  it('a seek puts the transport that many seconds in, before it plays: the pattern step follows (120 BPM: 8 steps a second)', async () => {
    const { host, graph } = await setup();
    graph.load(compileDocument(doc([{ id: 'syn', name: 'Synth', chain: [{ id: 's', type: 'synth' }] }])));
    host.seek(1.3);
    host.setPlaying(true);
    host.process();
    expect(host.step()).toBe(10);
    // Past the 16-step pattern's end it wraps, as a transport that played that long would.
    host.seek(2.6);
    host.process();
    expect(host.step()).toBe(4);
  });
});

