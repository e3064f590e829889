import { describe, expect, it } from 'vitest';
import { effectEngine, impulse, noise, powerSpectrum, run } from './helpers.ts';

const FS = 48000;

/** Seconds until the tail's energy (Schroeder backward integral) falls 30 dB. */
function decayTime(x: Float32Array): number {
  const tail = new Float64Array(x.length);
  let acc = 0;
  for (let i = x.length - 1; i >= 0; i--) tail[i] = acc += (x[i] as number) ** 2;
  const start = tail[0] as number;
  const i = tail.findIndex((e) => e < start * 1e-3);
  return (i < 0 ? x.length : i) / FS;
}

describe('reverb', () => {
  it('decays longer as room_size grows', async () => {
    const times: number[] = [];
    for (const room_size of [0.1, 0.5, 0.9]) {
      const core = await effectEngine([{ type: 'reverb', params: { room_size, damping: 0.3, mix: 1 } }], FS);
      times.push(decayTime(run(core, impulse(FS * 4))[0]));
    }
    expect(times[1]).toBeGreaterThan((times[0] as number) * 1.3);
    expect(times[2]).toBeGreaterThan((times[1] as number) * 1.3);
  });

  it('its highs die away as fast at 96 kHz as at 44.1 kHz: the damping is scaled to the rate, as the line lengths are', async () => {
    /** dB per second the tail loses in [lo, hi] Hz, from the band's energy in windows of ~0.19 s at 0.3 s and 1.3 s. */
    async function bandDecay(fs: number, lo: number, hi: number): Promise<number> {
      const core = await effectEngine([{ type: 'reverb', params: { room_size: 0.7, damping: 0.5, mix: 1 } }], fs);
      const [ir] = run(core, impulse(fs * 2));
      const size = fs > 48000 ? 1 << 14 : 1 << 13;
      const energy = (t: number) => {
        const ps = powerSpectrum(ir.slice(Math.round(t * fs), Math.round(t * fs) + size));
        let e = 0;
        for (let k = Math.floor((lo / fs) * size); k <= Math.ceil((hi / fs) * size); k++) e += ps[k] as number;
        return 10 * Math.log10(e);
      };
      return energy(0.3) - energy(1.3);
    }
    for (const [lo, hi] of [[4000, 6000], [8000, 10000]] as const) {
      const at44 = await bandDecay(44100, lo, hi), at96 = await bandDecay(96000, lo, hi);
      // Unscaled, the 8-10 kHz band lost 42 dB/s at 96 kHz against 71 at 44.1.
      expect(Math.abs(at96 - at44) / at44, `${lo}-${hi} Hz: ${at96.toFixed(1)} dB/s at 96 kHz, ${at44.toFixed(1)} at 44.1`).toBeLessThan(0.2);
    }
  });

  it('a predelay change glides instead of jumping in the reverb\'s input', async () => {
    const sine = Float32Array.from({ length: FS * 2 }, (_, i) => 0.5 * Math.sin((2 * Math.PI * 110 * i) / FS));
    for (const [from, to] of [[100, 0], [50, 60]] as const) {
      const core = await effectEngine([{ type: 'reverb', params: { mix: 1, predelay_ms: from } }], FS);
      const [out] = run(core, sine, sine, sine.length, (block) => { if (block === 375) core.setParam(0, 0, 4, to); });
      let steady = 0, around = 0;
      for (let i = FS / 2; i < FS; i++) steady = Math.max(steady, Math.abs((out[i] as number) - (out[i - 1] as number)));
      for (let i = FS; i < 1.5 * FS; i++) around = Math.max(around, Math.abs((out[i] as number) - (out[i - 1] as number)));
      // The read point jumped by whole blocks' worth of smoothing: 0.084 for 100 -> 0, 40x the settled wet's largest step.
      expect(around, `${from} -> ${to} ms`).toBeLessThan(steady * 8);
    }
  });

  it('a predelay switched on reads what just came in, not what the line held when it was last used', async () => {
    const core = await effectEngine([{ type: 'reverb', params: { room_size: 0, damping: 1, mix: 1, predelay_ms: 100 } }], FS);
    // A burst at 1 s, the predelay off as it ends (the line still holds it), back on at 8 s.
    const x = new Float32Array(FS * 10);
    x.set(noise(FS / 10, 9), FS);
    const [out] = run(core, x, x, x.length, (block) => {
      if (block === Math.round((1.1 * FS) / core.blockSize)) core.setParam(0, 0, 4, 0);
      if (block === Math.round((8 * FS) / core.blockSize)) core.setParam(0, 0, 4, 100);
    });
    // The burst's tail has died by 7.5 s; back at 100 ms, the line (not written at 0 ms) replayed the burst.
    expect(out.subarray(7.5 * FS).every((v) => v === 0)).toBe(true);
  });

  it('builds up no DC from an input with a DC offset', async () => {
    const core = await effectEngine([{ type: 'reverb', params: { room_size: 0.9, damping: 0, mix: 1 } }], FS);
    // Without the DC blocker the eight combs alone would hold about 5 here.
    const [left, right] = run(core, new Float32Array(FS * 3).fill(0.5));
    for (const ch of [left, right]) {
      let mean = 0;
      for (let i = FS * 2; i < FS * 3; i++) mean += ch[i] as number;
      expect(Math.abs(mean / FS)).toBeLessThan(0.01);
    }
  });

  it('on silence after a loud burst its tail never passes through subnormal floats (a CPU cliff on x86) and falls to exact zero', async () => {
    // Checked by value, not by timing the blocks (speed belongs to the benchmarks): a denormal tail is one whose samples go subnormal.
    const core = await effectEngine([{ type: 'reverb', params: { room_size: 1, damping: 0, mix: 1 } }], FS);
    const blocks = (seconds: number) => Math.round((seconds * FS) / core.blockSize);
    run(core, noise(FS / 2));
    core.input[0].fill(0);
    core.input[1].fill(0);
    // 90 s of silence: the tail (room 1, no damping) decays through the whole range where denormals would appear.
    let subnormal = 0, quiet = 0;
    for (let b = 0; b < blocks(90); b++) {
      core.process();
      for (const ch of [core.output[0], core.output[1]]) {
        for (const v of ch) {
          if (v !== 0 && Math.abs(v) < 2 ** -126) subnormal++;
          else if (v !== 0 && Math.abs(v) < 1e-6) quiet++;
        }
      }
    }
    // The tail did cross the quiet range, so the check saw the decay and not only silence.
    expect(quiet).toBeGreaterThan(0);
    expect(subnormal).toBe(0);
    core.process();
    expect(core.output[0].every((v) => v === 0)).toBe(true);
  });
});
