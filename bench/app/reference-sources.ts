import { noise } from '../signals.ts';

/**
 * The reference session's sources, for `bench dsp` in Node and `bench app`'s
 * browser page alike (so no Node APIs here): per track a 2 s stereo loop, a
 * tremolo tone over quiet noise, different per track. The document itself
 * comes from bench/dsp.ts `referenceSession()`.
 */
export function referenceSources(tracks: number, rate: number): [Float32Array, Float32Array][] {
  return Array.from({ length: tracks }, (_, t) => {
    const n = 2 * rate;
    const nl = noise(n, 2 * t + 1);
    const nr = noise(n, 2 * t + 2);
    const f = 110 * (1 + t / 4);
    const l = new Float32Array(n);
    const r = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      const tone = 0.4 * Math.sin((2 * Math.PI * f * i) / rate) * (0.5 + 0.5 * Math.sin((2 * Math.PI * 2 * i) / rate));
      l[i] = tone + 0.1 * nl[i]!;
      r[i] = tone + 0.1 * nr[i]!;
    }
    return [l, r];
  });
}
