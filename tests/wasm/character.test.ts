import { describe, expect, it } from 'vitest';
import { effectEngine, powerSpectrum, run } from './helpers.ts';

const FS = 48000;
const sine = (f: number, n: number, a = 0.8) => Float32Array.from({ length: n }, (_, i) => a * Math.sin((2 * Math.PI * f * i) / FS));

describe('drive', () => {
  it('saturates smoothly: bounded output, odd harmonics, level set by output_db', async () => {
    const core = await effectEngine([{ type: 'drive', params: { drive_db: 24, tone: 20000, mix: 1, output_db: 0 } }], FS);
    const [out] = run(core, sine(1000, 1 << 14));
    const peak = out.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
    expect(peak).toBeLessThanOrEqual(1.001);
    expect(peak).toBeGreaterThan(0.9);
    const s = powerSpectrum(out.subarray(out.length - 8192));
    const bin = (f: number) => Math.round((f * 8192) / FS);
    const around = (f: number) => Math.max(...Array.from({ length: 9 }, (_, k) => s[bin(f) - 4 + k] as number));
    // tanh is odd: a strong 3rd harmonic, next to no 2nd.
    expect(around(3000) / around(1000)).toBeGreaterThan(1e-2);
    expect(around(2000) / around(1000)).toBeLessThan(1e-6);
  });

  it('keeps aliasing of a driven 5 kHz tone well below the harmonics it makes (ADAA)', async () => {
    const core = await effectEngine([{ type: 'drive', params: { drive_db: 18, tone: 20000 } }], FS);
    const n = 1 << 14;
    const [out] = run(core, sine(5000, n + 4096));
    const s = powerSpectrum(out.subarray(4096));
    let total = 0, below = 0;
    s.forEach((p, k) => { total += p; if ((k * FS) / n < 4800 && k > 8) below += p; });
    // Plain tanh at this drive folds harmonics back to about -26 dB; ADAA measures about -56 dB.
    expect(10 * Math.log10(below / total)).toBeLessThan(-45);
  });
});

describe('chorus', () => {
  it('modulates: the wet signal wanders in time, left and right differently', async () => {
    const core = await effectEngine([{ type: 'chorus', params: { rate_hz: 2, depth_ms: 4, mix: 1 } }], FS);
    const [l, r] = run(core, sine(440, FS));
    // Fully wet, a pure tone in gives the same tone shifted by a moving delay: left and right differ.
    let diff = 0;
    for (let i = FS / 2; i < FS; i++) diff = Math.max(diff, Math.abs((l[i] as number) - (r[i] as number)));
    expect(diff).toBeGreaterThan(0.1);
    expect(l.every(Number.isFinite) && r.every(Number.isFinite)).toBe(true);
  });
});
