import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createDspHost } from '../../worklets/wasm-dsp-host.ts';
import { EngineRunner } from '../../worklets/engine-runner.ts';
import { ParamRing } from '../../worklets/shared/param-ring.ts';
import { MeterBlock } from '../../worklets/shared/meter-block.ts';
import { EventKind, eventKey } from '../../worklets/shared/event-keys.ts';
import { SessionDocumentSchema } from '../../src/protocol/session.ts';
import { compileDocument } from '../../src/model/index.ts';
import { EngineGraph } from '../../wasm/host/index.ts';
import { hostSink } from '../../worklets/dsp-host.ts';

const WASM = fileURLToPath(new URL('../../wasm/engine.wasm', import.meta.url));

describe('the render loop allocates nothing (V8, as in Chromium)', () => {
  it('50,000 quanta of the real engine, with a knob moving every quantum, leave the JS heap where it was', async () => {
    const host = await createDspHost((await readFile(WASM)).buffer as ArrayBuffer, 48_000);
    new EngineGraph(host.limits, hostSink(host)).load(compileDocument(SessionDocumentSchema.parse({
      format: 'outboard.session/1', id: 's', name: 's',
      tracks: [{ id: 'a', name: 'A', chain: [{ id: 'syn', type: 'synth' }, { id: 'eq', type: 'eq' }, { id: 'dly', type: 'delay' }] }],
    })));
    const ring = ParamRing.create(256, true);
    const block = MeterBlock.create(true);
    // A Smi clock: Date.now()'s boxed result is the loop's one known allocation
    // (one quantum in four, see load-meter.ts); everything else must be zero.
    const runner = new EngineRunner(ring, block, 48_000, () => 0);
    runner.host = host;
    host.setPlaying(true);
    const left = new Float32Array(128);
    const right = new Float32Array(128);
    const input = [new Float32Array(128), new Float32Array(128)];
    const key = eventKey(EventKind.param, 0, 1, 1);
    const quantum = (i: number) => {
      ring.push(key, (i % 24) - 12, block.counter());
      runner.render(input, left, right);
    };
    for (let i = 0; i < 20_000; i++) quantum(i); // warm up: let the JIT settle
    const rounds: number[] = [];
    for (let round = 0; round < 3; round++) {
      const before = process.memoryUsage().heapUsed;
      for (let i = 0; i < 50_000; i++) quantum(i);
      rounds.push(process.memoryUsage().heapUsed - before);
    }
    expect(runner.error).toBeNull();
    // A single 16-byte object per quantum would be 800 kB a round. The median
    // round ignores one disturbed by a concurrent sweep of earlier garbage.
    const median = rounds.sort((a, b) => a - b)[1]!;
    expect(median).toBeLessThan(64 * 1024);
  });
});
