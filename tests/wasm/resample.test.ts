import { describe, expect, it } from 'vitest';
import { resample } from '../../wasm/host/index.ts';
import { db, dtftMagnitude } from './helpers.ts';

/** `seconds` of a sine at `hz`, amplitude 0.5, sampled at `rate`. */
function sine(hz: number, rate: number, seconds = 1): Float32Array {
  return Float32Array.from({ length: Math.round(rate * seconds) }, (_, i) => 0.5 * Math.sin((2 * Math.PI * hz * i) / rate));
}

/** Level in dB (re the input's 0.5) of `hz` in the middle half of `x`, away from the loop seam. */
function level(x: Float32Array, hz: number, rate: number): number {
  const mid = x.subarray(x.length >> 2, (3 * x.length) >> 2);
  // A Hann window keeps other frequencies' leakage out of the reading.
  const w = Float32Array.from(mid, (v, i) => v * (1 - Math.cos((2 * Math.PI * i) / mid.length)));
  return db(dtftMagnitude(w, hz, rate) / (0.25 * mid.length));
}

describe('resampling a file source to the engine rate', () => {
  it('keeps the audio band flat: 1, 10 and 18 kHz from 44.1 to 48 kHz within 0.1 dB', () => {
    // Linear interpolation took 1.5 dB off 10 kHz, more above.
    for (const hz of [1000, 10000, 18000]) expect(Math.abs(level(resample(sine(hz, 44100), 44100, 48000), hz, 48000)), `${hz} Hz`).toBeLessThan(0.1);
  });

  it('does not alias: a 30 kHz tone in a 96 kHz file is gone at 48 kHz, not folded to 18 kHz', () => {
    const out = resample(sine(30000, 96000), 96000, 48000);
    // Linear interpolation (here every other sample) folded it to 18 kHz at full level.
    expect(level(out, 18000, 48000)).toBeLessThan(-90);
    expect(out.length).toBe(48000);
  });

  it('changes the length by the ratio of the rates, and nothing at the same rate', () => {
    const x = sine(440, 44100, 0.5);
    expect(resample(x, 44100, 48000).length).toBe(24000);
    expect(resample(x, 44100, 44100)).toBe(x);
    expect(resample(new Float32Array(0), 44100, 48000).length).toBe(0);
  });
});
