import { describe, expect, it } from 'vitest';
import { encodeWavFrames, parseWav, readWavFrames, wavHeader, type WavBits, type WavFormat } from '../../wasm/host/index.ts';
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

describe('offline staging: WAV sample data decoded and encoded inside the engine', () => {
  const frames = 1003; // not a multiple of the four-frame fast paths
  // Full scale, past it both ways, zeros of both signs, tiny values, and a spread in between.
  const edges = [0, -0, 1, -1, 1.5, -1.5, 0.99999994, -0.99999994, 1e-9, -1e-9, 0.5 / 32768, -0.5 / 32768, 1 / 8388608];
  const signal = (seed: number) => Float32Array.from({ length: frames }, (_, i) => edges[i] ?? Math.sin(i * 0.37 + seed) * 1.1 * ((i % 7) / 6));
  const formats: WavFormat[] = [16, 24, 32].flatMap((bits) => [1, 2].flatMap((channels) => [
    { sampleRate: FS, channels, bits: bits as WavBits, float: false },
    ...(bits === 32 ? [{ sampleRate: FS, channels, bits: 32 as const, float: true }] : []),
  ]));
  const name = (f: WavFormat) => `${f.channels === 1 ? 'mono' : 'stereo'} ${f.bits}-bit ${f.float ? 'float' : 'integer'}`;
  const same = (a: Uint8Array, b: Uint8Array) => Buffer.from(a).equals(Buffer.from(b));

  for (const format of formats) {
    it(`decodes ${name(format)} to exactly the samples wav.ts reads (mono into both channels)`, async () => {
      const core = await effectEngine([], FS);
      const { input, pcm } = core.stage(frames);
      const bytes = encodeWavFrames(format, [signal(1), signal(2)].slice(0, format.channels), 0, frames);
      const header = wavHeader(format, frames);
      const file = new Uint8Array(header.length + bytes.length);
      file.set(header);
      file.set(bytes, header.length);
      const wav = parseWav(file);
      if (!wav.ok) throw new Error(wav.error.message);
      const want = [new Float32Array(frames), new Float32Array(frames)];
      readWavFrames(wav.value, 0, frames, want.slice(0, format.channels));
      if (format.channels === 1) want[1]!.set(want[0]!);
      pcm.set(bytes);
      expect(core.decodeStaged(frames, format), 'no broken sample').toBe(-1);
      for (const c of [0, 1]) {
        const got = input[c] as Float32Array;
        expect(same(new Uint8Array(got.buffer, got.byteOffset, frames * 4), new Uint8Array(want[c]!.buffer)), `channel ${c}`).toBe(true);
      }
    });

    if (format.float) {
      it(`names the first frame of ${name(format)} holding NaN or an infinity, in either channel`, async () => {
        const core = await effectEngine([], FS);
        const { pcm } = core.stage(frames);
        const [l, r] = [signal(1), signal(2)];
        l[1001] = NaN;
        r[500] = -Infinity;
        pcm.set(encodeWavFrames(format, [l, r].slice(0, format.channels), 0, frames));
        expect(core.decodeStaged(frames, format)).toBe(format.channels === 1 ? 1001 : 500);
      });
    }

    it(`encodes ${name(format)} to exactly the bytes wav.ts writes (mono: the average of both channels)`, async () => {
      const core = await effectEngine([], FS);
      const { output, pcm } = core.stage(frames);
      const [l, r] = [signal(3), signal(4)];
      output[0].set(l);
      output[1].set(r);
      // What the CLI wrote before the engine encoded: the average taken in JS, stored as f32, then encoded.
      const channels = format.channels === 1 ? [Float32Array.from(l, (x, i) => (x + (r[i] as number)) * 0.5)] : [l, r];
      const want = encodeWavFrames(format, channels, 0, frames);
      core.encodeStaged(frames, format);
      expect(same(pcm.subarray(0, want.length), want)).toBe(true);
    });
  }
});
