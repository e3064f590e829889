/** Deterministic test signals, shared by Node tests and benches and by browser bench pages (no Node APIs). */

/** Deterministic white noise in [-1, 1) from a 32-bit LCG. */
export function noise(frames: number, seed = 1): Float32Array {
  const x = new Float32Array(frames);
  let s = seed >>> 0;
  for (let i = 0; i < frames; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    x[i] = s / 2 ** 31 - 1;
  }
  return x;
}
