import { describe, expect, it } from 'vitest';
import { effectEngine, impulse, run } from './helpers.ts';

const FS = 48000;

describe('delay', () => {
  it('puts echoes at multiples of the delay time, each feedback times the last', async () => {
    const time_ms = 125; // 6000 samples
    const feedback = 0.6, mix = 0.5;
    const core = await effectEngine([{ type: 'delay', params: { time_ms, feedback, mix, damping_hz: 20000 } }], FS);
    const [out] = run(core, impulse(FS * 1));
    const d = (time_ms / 1000) * FS;
    // The dry impulse, scaled by 1 - mix.
    expect(out[0]).toBeCloseTo(1 - mix, 6);
    expect(out.subarray(1, d).every((v) => v === 0)).toBe(true);
    for (let k = 1; k <= 5; k++) {
      const at = k * d;
      // Nothing before the echo; the loop lowpass has unity gain at DC, so each echo sums to mix * feedback^(k-1).
      expect(out[at - 1], `sample before echo ${k}`).toBe(0);
      expect(Math.abs(out[at] as number), `echo ${k} starts on time`).toBeGreaterThan(0);
      let sum = 0;
      for (let i = at; i < at + d; i++) sum += out[i] as number;
      expect(sum).toBeCloseTo(mix * feedback ** (k - 1), 3);
    }
  });

  it('damping lowers the echoes\' high end, not their DC level', async () => {
    const core = await effectEngine([{ type: 'delay', params: { time_ms: 100, feedback: 0.8, mix: 1, damping_hz: 500 } }], FS);
    const [out] = run(core, impulse(FS));
    const d = 4800;
    const peak = (k: number) => Math.max(...out.subarray(k * d, (k + 1) * d).map(Math.abs));
    expect(peak(3)).toBeLessThan(peak(2));
    expect(peak(2)).toBeLessThan(0.8 * peak(1));
  });

  it('a time change glides (no jump larger than the signal allows)', async () => {
    const core = await effectEngine([{ type: 'delay', params: { time_ms: 100, feedback: 0, mix: 1 } }], FS);
    const sine = Float32Array.from({ length: FS }, (_, i) => Math.sin((2 * Math.PI * 100 * i) / FS));
    const [out] = run(core, sine, sine, FS, (block) => { if (block === 100) core.setParam(0, 0, 0, 300); });
    let worst = 0;
    for (let i = 12800; i < FS; i++) worst = Math.max(worst, Math.abs((out[i] as number) - (out[i - 1] as number)));
    // A 100 Hz unit sine moves at most 2 pi 100 / 48000 = 0.013 per sample; the glide's pitch shift may raise that a little.
    expect(worst).toBeLessThan(0.05);
  });
});
