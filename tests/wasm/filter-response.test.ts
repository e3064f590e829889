import { describe, expect, it } from 'vitest';
import { FILTER_MODES, filterCoefficients, magnitude, peakingCoefficients, shelfCoefficients, type Coefficients } from '../../bench/cookbook.ts';
import { db, dtftMagnitude, effectEngine, impulse, logFrequencies, run } from './helpers.ts';

const FS = 48000;
const IR_LENGTH = 1 << 15;
// 24 log-spaced points across the audio band.
const FREQUENCIES = logFrequencies(20, 20000, 24);
// Below this the reference is a deep null; the engine's float32 noise floor, not its design, sets the number there.
const FLOOR_DB = -80;

async function impulseResponse(type: string, params: Record<string, number>): Promise<Float32Array> {
  const core = await effectEngine([{ type, params }], FS);
  return run(core, impulse(IR_LENGTH))[0];
}

function worstError(ir: Float32Array, reference: (f: number) => number): number {
  let worst = 0;
  for (const f of FREQUENCIES) {
    const want = db(reference(f));
    if (want < FLOOR_DB) continue;
    worst = Math.max(worst, Math.abs(db(dtftMagnitude(ir, f, FS)) - want));
  }
  return worst;
}

describe('filter plugin matches the RBJ cookbook magnitude response', () => {
  const settings = [
    { cutoff: 1000, q: 0.707 },
    { cutoff: 200, q: 2 },
    { cutoff: 6000, q: 5 },
  ];
  for (const [index, mode] of FILTER_MODES.entries()) {
    for (const { cutoff, q } of settings) {
      it(`${mode} at ${cutoff} Hz, Q ${q}: within 0.05 dB at ${FREQUENCIES.length} frequencies`, async () => {
        const ir = await impulseResponse('filter', { mode: index, cutoff, q });
        const c = filterCoefficients(mode, cutoff, q, FS);
        expect(worstError(ir, (f) => magnitude(c, f, FS))).toBeLessThan(0.05);
      });
    }
  }
});

describe('eq plugin bands match the RBJ cookbook', () => {
  const cases: { name: string; params: Record<string, number>; bands: Coefficients[] }[] = [
    { name: 'low shelf +9 dB at 120 Hz', params: { low_freq: 120, low_gain: 9 }, bands: [shelfCoefficients('low', 120, 9, FS)] },
    { name: 'low shelf -12 dB at 300 Hz', params: { low_freq: 300, low_gain: -12 }, bands: [shelfCoefficients('low', 300, -12, FS)] },
    { name: 'mid 1 peak +6 dB at 500 Hz, Q 1', params: { mid1_gain: 6 }, bands: [peakingCoefficients(500, 6, 1, FS)] },
    { name: 'mid 1 cut -18 dB at 800 Hz, Q 4', params: { mid1_freq: 800, mid1_gain: -18, mid1_q: 4 }, bands: [peakingCoefficients(800, -18, 4, FS)] },
    { name: 'mid 2 peak +12 dB at 3 kHz, Q 0.5', params: { mid2_gain: 12, mid2_q: 0.5 }, bands: [peakingCoefficients(3000, 12, 0.5, FS)] },
    { name: 'high shelf +6 dB at 8 kHz', params: { high_gain: 6 }, bands: [shelfCoefficients('high', 8000, 6, FS)] },
    { name: 'high shelf -9 dB at 4 kHz', params: { high_freq: 4000, high_gain: -9 }, bands: [shelfCoefficients('high', 4000, -9, FS)] },
    {
      name: 'all four bands at once',
      params: { low_freq: 100, low_gain: 4, mid1_freq: 400, mid1_gain: -6, mid1_q: 2, mid2_freq: 2500, mid2_gain: 5, mid2_q: 1.5, high_freq: 9000, high_gain: -4 },
      bands: [shelfCoefficients('low', 100, 4, FS), peakingCoefficients(400, -6, 2, FS), peakingCoefficients(2500, 5, 1.5, FS), shelfCoefficients('high', 9000, -4, FS)],
    },
  ];
  for (const c of cases) {
    it(`${c.name}: within 0.05 dB at ${FREQUENCIES.length} frequencies`, async () => {
      const ir = await impulseResponse('eq', c.params);
      expect(worstError(ir, (f) => c.bands.reduce((m, b) => m * magnitude(b, f, FS), 1))).toBeLessThan(0.05);
    });
  }

  it('a flat eq is exactly transparent', async () => {
    const ir = await impulseResponse('eq', {});
    expect(ir[0]).toBe(1);
    expect(ir.subarray(1).every((v) => v === 0)).toBe(true);
  });
});

describe('eq bands low in the bass and at 44.1 and 96 kHz match the RBJ cookbook', () => {
  // Down here a biquad's float32 coefficients round away tenths of a dB (a -24 dB, Q 10 cut at 20 Hz read -23.1 dB at 96 kHz).
  const LOW = logFrequencies(10, 400, 32);
  const cases: { name: string; params: Record<string, number>; bands: (fs: number) => Coefficients[] }[] = [
    { name: 'low shelf -24 dB at 20 Hz', params: { low_freq: 20, low_gain: -24 }, bands: (fs: number) => [shelfCoefficients('low', 20, -24, fs)] },
    { name: 'low shelf +12 dB at 30 Hz', params: { low_freq: 30, low_gain: 12 }, bands: (fs: number) => [shelfCoefficients('low', 30, 12, fs)] },
    { name: 'mid 1 cut -24 dB at 20 Hz, Q 10', params: { mid1_freq: 20, mid1_gain: -24, mid1_q: 10 }, bands: (fs: number) => [peakingCoefficients(20, -24, 10, fs)] },
    { name: 'mid 2 peak +12 dB at 40 Hz, Q 4, with a high shelf', params: { mid2_freq: 40, mid2_gain: 12, mid2_q: 4, high_freq: 200, high_gain: -6 }, bands: (fs: number) => [peakingCoefficients(40, 12, 4, fs), shelfCoefficients('high', 200, -6, fs)] },
  ];
  for (const fs of [44100, 96000]) {
    for (const c of cases) {
      it(`${c.name} at ${fs} Hz: within 0.05 dB from 10 to 400 Hz`, async () => {
        const ir = run(await effectEngine([{ type: 'eq', params: c.params }], fs), impulse(1 << 18))[0];
        const bands = c.bands(fs);
        let worst = 0;
        for (const f of LOW) worst = Math.max(worst, Math.abs(db(dtftMagnitude(ir, f, fs)) - db(bands.reduce((m, b) => m * magnitude(b, f, fs), 1))));
        expect(worst).toBeLessThan(0.05);
      });
    }
  }
});

describe('fused filter pairs', () => {
  it('two settled filters in a row sound exactly like the same two run one by one', async () => {
    const a = { type: 'filter', params: { mode: 0, cutoff: 3000, q: 2 } };
    const b = { type: 'filter', params: { mode: 1, cutoff: 150, q: 0.5 } };
    const x = Float32Array.from({ length: 48000 }, (_, i) => Math.sin(i * 0.05) * 0.5 + Math.sin(i * 0.9) * 0.3);
    const fused = run(await effectEngine([a, b], FS), x)[0];
    // A 0 dB gain in between multiplies by exactly 1 and keeps the filters apart.
    const apart = run(await effectEngine([a, { type: 'gain' }, b], FS), x)[0];
    expect(Buffer.from(fused.buffer).equals(Buffer.from(apart.buffer))).toBe(true);
  });

  it('four to seven settled filters in a row (run four at a time, two stages per vector) sound exactly like them run one by one, in both channels', async () => {
    const filters = [
      { mode: 1, cutoff: 30, q: 0.707 }, { mode: 0, cutoff: 18000, q: 0.707 }, { mode: 3, cutoff: 60, q: 10 }, { mode: 4, cutoff: 1000, q: 0.707 },
      { mode: 2, cutoff: 1000, q: 0.3 }, { mode: 0, cutoff: 12000, q: 0.5 }, { mode: 3, cutoff: 8000, q: 4 },
    ].map((params) => ({ type: 'filter', params }));
    const left = Float32Array.from({ length: 48000 }, (_, i) => Math.sin(i * 0.05) * 0.5 + Math.sin(i * 0.9) * 0.3);
    const right = Float32Array.from({ length: 48000 }, (_, i) => Math.sin(i * 0.013) * 0.6 - Math.sin(i * 2.1) * 0.2);
    for (const count of [4, 5, 6, 7]) {
      const chain = filters.slice(0, count);
      const fused = run(await effectEngine(chain, FS), left, right);
      const apart = run(await effectEngine(chain.flatMap((f) => [f, { type: 'gain' }]), FS), left, right);
      for (const c of [0, 1]) expect(Buffer.from(fused[c]!.buffer).equals(Buffer.from(apart[c]!.buffer)), `${count} filters, channel ${c}`).toBe(true);
    }
  });
});
