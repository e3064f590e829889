import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createDspHost } from '../../worklets/wasm-dsp-host.ts';
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

describe('the worklet host over engine.wasm', () => {
  it('maps tracks and plugins to the slots ring records address', async () => {
    const host = await createDspHost((await readFile(WASM)).buffer as ArrayBuffer, 48_000);
    const slots = host.applyDocument(doc([
      { id: 'a', name: 'A', chain: [{ id: 'g1', type: 'gain' }, { id: 'f1', type: 'filter' }] },
      { id: 'b', name: 'B', chain: [{ id: 'g2', type: 'gain' }] },
    ]));
    expect(slots).toEqual({ tracks: { a: 0, b: 1, master: host.masterSlot }, plugins: { g1: 0, f1: 1, g2: 0 } });
  });

  it('a knob moved through the ring and back inside a structural update ends where the document says', async () => {
    const host = await createDspHost((await readFile(WASM)).buffer as ArrayBuffer, 48_000);
    type Plugin = { id: string; type: string; params?: Record<string, number> };
    const track = (extra: Plugin[]) => [{ id: 'in', name: 'In', source: { kind: 'input' as const }, chain: [{ id: 'g', type: 'gain', params: { gain_db: 0 } }, ...extra] }];
    host.applyDocument(doc(track([])));
    const unity = run(host, 40);
    expect(unity).toBeGreaterThan(0.1);
    host.setParam(0, 0, 0, -60); // the ring: gain_db -> -60
    expect(run(host, 40)).toBeLessThan(unity / 100);
    // Next document: the knob is back at 0 dB *and* a plugin was added (structural).
    host.applyDocument(doc(track([{ id: 'g2', type: 'gain', params: { gain_db: 0 } }])));
    expect(run(host, 40)).toBeCloseTo(unity, 3);
  });
});
