import { describe, expect, it } from 'vitest';
import { db, effectEngine, run } from './helpers.ts';

const FS = 48000;

/** Giannoulis/Massberg/Reiss static gain computer, soft knee of width W dB. */
function staticCurve(x: number, t: number, r: number, w: number): number {
  if (2 * (x - t) < -w) return x;
  if (w > 0 && 2 * Math.abs(x - t) <= w) return x + ((1 / r - 1) * (x - t + w / 2) ** 2) / (2 * w);
  return t + (x - t) / r;
}

describe('compressor', () => {
  const settings = [
    { threshold_db: -20, ratio: 4, knee_db: 10, makeup_db: 0 },
    { threshold_db: -30, ratio: 10, knee_db: 0, makeup_db: 6 },
    { threshold_db: -12, ratio: 2, knee_db: 24, makeup_db: 3 },
  ];
  for (const s of settings) {
    it(`follows the static curve incl. the knee within 0.5 dB (T ${s.threshold_db}, R ${s.ratio}, W ${s.knee_db}, makeup ${s.makeup_db})`, async () => {
      // A held level (DC) lets the detector settle exactly on the curve; 36 levels cross below, in and above the knee.
      for (let level = -54; level <= 0; level += 1.5) {
        const core = await effectEngine([{ type: 'compressor', params: { ...s, attack_ms: 1, release_ms: 20 } }], FS);
        const x = new Float32Array(FS / 4).fill(10 ** (level / 20));
        const [out] = run(core, x);
        const got = db(Math.abs(out[out.length - 1] as number));
        const want = staticCurve(level, s.threshold_db, s.ratio, s.knee_db) + s.makeup_db;
        expect(Math.abs(got - want), `input ${level} dB: got ${got.toFixed(2)} dB, curve says ${want.toFixed(2)} dB`).toBeLessThan(0.5);
      }
    });
  }

  it('attacks fast and releases slowly, as set', async () => {
    const core = await effectEngine([{ type: 'compressor', params: { threshold_db: -20, ratio: 20, knee_db: 0, attack_ms: 5, release_ms: 200 } }], FS);
    const loud = new Float32Array(FS / 2).fill(1);
    const quiet = new Float32Array(FS / 2).fill(0.01);
    const [out] = run(core, Float32Array.from([...loud, ...quiet]));
    // 5 time constants after the step up, the gain reduction is almost complete...
    expect(db(out[Math.round(0.025 * FS)] as number)).toBeLessThan(-17);
    // ...while 20 ms after the drop the release has barely started.
    expect(db((out[FS / 2 + Math.round(0.02 * FS)] as number) / 0.01)).toBeLessThan(-15);
  });
});
