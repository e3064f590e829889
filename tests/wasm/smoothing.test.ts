import { describe, expect, it } from 'vitest';
import { effectEngine, noise, run } from './helpers.ts';

const FS = 48000;
// A linear 5 ms ramp from 1 to 0.001 (0 dB to -60 dB) moves this much per sample.
const RAMP_STEP = (1 - 0.001) / (0.005 * FS);

function largestStep(x: Float32Array, from: number): number {
  let worst = 0;
  for (let i = from + 1; i < x.length; i++) worst = Math.max(worst, Math.abs((x[i] as number) - (x[i - 1] as number)));
  return worst;
}

describe('parameter smoothing', () => {
  it('a gain plugin jump from 0 dB to -60 dB steps no more than a 5 ms ramp', async () => {
    const core = await effectEngine([{ type: 'gain', params: { gain_db: 0 } }], FS);
    const dc = new Float32Array(FS / 10).fill(1);
    const [out] = run(core, dc, dc, dc.length, (block) => { if (block === 10) core.setParam(0, 0, 0, -60); });
    expect(largestStep(out, 0)).toBeLessThanOrEqual(RAMP_STEP * 1.0001);
    expect(out[out.length - 1]).toBeCloseTo(0.001, 6);
  });

  it('a track fader jump from 0 dB to -60 dB steps no more than a 5 ms ramp', async () => {
    const core = await effectEngine([], FS);
    const dc = new Float32Array(FS / 10).fill(1);
    const [out] = run(core, dc, dc, dc.length, (block) => { if (block === 10) core.setTrackGain(0, -60); });
    expect(largestStep(out, 0)).toBeLessThanOrEqual(RAMP_STEP * 1.0001);
    expect(out[out.length - 1]).toBeCloseTo(0.001, 6);
  });

  it('mute, polarity and bypass changes fade instead of clicking', async () => {
    // The filter first: at DC it passes 1, so its bypass fade is silent and the gain ramps reach the output as they are.
    const core = await effectEngine([{ type: 'filter', params: { mode: 0, cutoff: 200 } }, { type: 'gain' }], FS);
    const dc = new Float32Array(FS / 5).fill(1);
    const [out] = run(core, dc, dc, dc.length, (block) => {
      if (block === 20) core.setParam(0, 1, 2, 1); // invert
      if (block === 40) core.setBypass(0, 0, true);
      if (block === 60) core.setTrackMute(0, true);
    });
    // Inverting swings from +1 to -1 over the 5 ms ramp; the others are smaller.
    expect(largestStep(out, 2000)).toBeLessThanOrEqual((2 / (0.005 * FS)) * 1.0001);
    expect(out[out.length - 1]).toBe(0);
  });

  it('a delay or reverb switched back on after a bypass starts clean: no echo or tail of what it held when bypassed', async () => {
    const plugins: { type: string; params: Record<string, number> }[] = [
      { type: 'delay', params: { time_ms: 500, feedback: 0.9, mix: 0.5 } }, { type: 'reverb', params: { room_size: 0.9, mix: 0.5 } },
    ];
    for (const plugin of plugins) {
      const core = await effectEngine([plugin], FS);
      // A burst, bypassed 0.2 s in (before the first echo), silence after; back on at 3 s.
      const x = new Float32Array(FS * 5);
      x.set(noise(FS / 10, 5));
      const blocksPerSecond = FS / core.blockSize;
      const [out] = run(core, x, x, x.length, (block) => {
        if (block === Math.round(0.2 * blocksPerSecond)) core.setBypass(0, 0, true);
        if (block === Math.round(3 * blocksPerSecond)) core.setBypass(0, 0, false);
      });
      // Unbypassed, the delay replayed its held echo at 0.5, the reverb its tail at 0.38.
      expect(out.subarray(3 * FS).every((v) => v === 0), plugin.type).toBe(true);
    }
  });

  it('a plugin inserted bypassed and switched on while playing fades in over 5 ms', async () => {
    const core = await effectEngine([{ type: 'gain', params: { gain_db: -60 } }], FS);
    core.setBypass(0, 0, true);
    const dc = new Float32Array(FS / 5).fill(1);
    // Bypassed since it was inserted (never run), on at block 20: it jumped from 1 to 0.001 in one sample.
    const [out] = run(core, dc, dc, dc.length, (block) => { if (block === 20) core.setBypass(0, 0, false); });
    expect(largestStep(out, 0)).toBeLessThanOrEqual(RAMP_STEP * 1.0001);
    expect(out[out.length - 1]).toBeCloseTo(0.001, 6);
  });

  it('a cutoff sweep moves smoothly (no sample-to-sample jump beyond the signal\'s own)', async () => {
    const core = await effectEngine([{ type: 'filter', params: { mode: 0, cutoff: 200, q: 0.707 } }], FS);
    const sine = Float32Array.from({ length: FS / 2 }, (_, i) => 0.5 * Math.sin((2 * Math.PI * 100 * i) / FS));
    const [out] = run(core, sine, sine, sine.length, (block) => { if (block === 50) core.setParam(0, 0, 1, 20000); });
    expect(largestStep(out, 1000)).toBeLessThan(0.02);
  });

  it('eq gain, frequency and Q jumps at the band\'s own frequency glide (no jump beyond the signal\'s own)', async () => {
    const core = await effectEngine([{ type: 'eq', params: { mid1_freq: 200, mid1_gain: 0, mid1_q: 1 } }], FS);
    const sine = Float32Array.from({ length: FS }, (_, i) => 0.5 * Math.sin((2 * Math.PI * 200 * i) / FS));
    const [out] = run(core, sine, sine, sine.length, (block) => {
      if (block === 50) core.setParam(0, 0, 3, 12);
      if (block === 100) core.setParam(0, 0, 3, -24);
      if (block === 150) core.setParam(0, 0, 2, 20000);
      if (block === 200) core.setParam(0, 0, 4, 10);
      if (block === 220) core.setParam(0, 0, 2, 20);
      if (block === 250) core.setParam(0, 0, 1, 24);
      if (block === 280) core.setParam(0, 0, 3, 0);
    });
    // At +12 dB the sine's own largest step is 4 x 0.013; a weight stepping every sub-block jumped by 0.55.
    expect(largestStep(out, 1000)).toBeLessThan(0.055);
  });

  it('a filter mode change crossfades instead of clicking, also when the mode changes again mid-fade', async () => {
    const core = await effectEngine([{ type: 'filter', params: { mode: 0, cutoff: 1000, q: 0.707 } }], FS);
    const sine = Float32Array.from({ length: FS / 2 }, (_, i) => 0.5 * Math.sin((2 * Math.PI * 200 * i) / FS));
    const [out] = run(core, sine, sine, sine.length, (block) => {
      if (block === 50) core.setParam(0, 0, 0, 1); // lowpass -> highpass
      if (block === 51) core.setParam(0, 0, 0, 2); // -> bandpass, 128 frames into the first fade
      if (block === 100) core.setParam(0, 0, 0, 3); // -> notch
    });
    // The sine's own largest step is 0.013; a switch of weights in one sample stepped by up to 0.35.
    expect(largestStep(out, 1000)).toBeLessThan(0.02);
    // Settled, the new mode is exactly its own filter: the notch on a fresh engine gives the same samples.
    const notch = await effectEngine([{ type: 'filter', params: { mode: 3, cutoff: 1000, q: 0.707 } }], FS);
    const [settled] = run(notch, sine);
    const tail = FS / 2 - 4000;
    for (let i = tail; i < FS / 2; i += 97) expect(out[i]).toBeCloseTo(settled[i] as number, 5);
  });
});
