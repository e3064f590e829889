import { describe, expect, it } from 'vitest';
import { effectEngine, run } from './helpers.ts';

const FS = 48000;
const CHAIN: { type: string; params?: Record<string, number> }[] = [
  { type: 'filter', params: { mode: 1, cutoff: 80 } }, { type: 'filter', params: { mode: 3, cutoff: 60, q: 10 } },
  { type: 'filter', params: { mode: 0, cutoff: 12000, q: 0.5 } }, { type: 'filter', params: { mode: 4, cutoff: 1000 } },
  { type: 'compressor' }, { type: 'delay', params: { time_ms: 30 } }, { type: 'reverb' },
];

describe('offline staging (stage + processStaged)', () => {
  it('renders exactly what process() does block by block, across chunks and a short last block', async () => {
    // 3 chunks of 1000 frames and one of 301: none a whole number of 128-frame blocks.
    const frames = 3301;
    const left = Float32Array.from({ length: frames }, (_, i) => Math.sin(i * 0.07) * 0.6);
    const right = Float32Array.from({ length: frames }, (_, i) => (i % 97) / 97 - 0.5);
    const staged = await effectEngine(CHAIN, FS);
    const chunk = 1000;
    const { input, output } = staged.stage(chunk);
    const got = [new Float32Array(frames), new Float32Array(frames)];
    for (let start = 0; start < frames; start += chunk) {
      const n = Math.min(chunk, frames - start);
      // Stale samples past n must not leak into the short last block.
      input[0].fill(1);
      input[1].fill(-1);
      input[0].set(left.subarray(start, start + n));
      input[1].set(right.subarray(start, start + n));
      staged.processStaged(n);
      got[0]!.set(output[0].subarray(0, n), start);
      got[1]!.set(output[1].subarray(0, n), start);
    }
    // run() writes each block, zero past the signal's end, the way the real-time path does.
    const want = [new Float32Array(frames), new Float32Array(frames)];
    const plain = await effectEngine(CHAIN, FS);
    for (let start = 0; start < frames; start += chunk) {
      const n = Math.min(chunk, frames - start);
      const [l, r] = run(plain, left.subarray(start, start + n), right.subarray(start, start + n));
      want[0]!.set(l.subarray(0, n), start);
      want[1]!.set(r.subarray(0, n), start);
    }
    for (const c of [0, 1]) expect(Buffer.from(got[c]!.buffer).equals(Buffer.from(want[c]!.buffer)), `channel ${c}`).toBe(true);
  });
});
