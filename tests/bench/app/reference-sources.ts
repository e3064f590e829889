/**
 * The reference session's sources as `outboard bench dsp` makes them
 * (tests/bench/dsp.ts `sources()`, mirrored here because that module is
 * Node-only): per track a 2 s stereo loop, a tremolo tone over quiet noise,
 * different per track. The document itself comes from tests/bench/dsp.ts
 * `referenceSession()` on the Node side, so both benches run the same session.
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

/** The DSP bench's deterministic white noise (a 32-bit LCG). */
function noise(frames: number, seed: number): Float32Array {
  const x = new Float32Array(frames);
  let s = seed >>> 0;
  for (let i = 0; i < frames; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    x[i] = s / 2 ** 31 - 1;
  }
  return x;
}
