// `delay`: stereo feedback delay, one-pole lowpass in the loop, linear
// interpolation so time changes glide instead of clicking.
// Params: 0 time_ms 1 feedback 2 mix 3 damping_hz.
import { P_FRESH, P_SLAB, P_STATE } from '../layout';
import { flush } from '../dsp';
import { param, smoothParams } from '../params';
import { sampleRate, slabBytes } from '../state';

// State: +0 i32 write index, +4 f32 delay (samples), +8 f32 lowpass coef,
// +12 f32 feedback, +16 v128 loop lowpass state, +32 f32 mix.
// Slab: ring of stereo frames (f32 L, f32 R), power-of-two length.

export function delayProcess(p: usize, buf: usize, count: i32): void {
  let n = count;
  const st = p + P_STATE;
  const ring = load<usize>(p, P_SLAB);
  if (ring == 0) return;
  const first = load<i32>(p, P_FRESH) != 0;
  if (smoothParams(p, 4, 0) || first) {
    store<f32>(st, 1 - Mathf.exp(-2 * Mathf.PI * Mathf.min(param(p, 3), 0.45 * sampleRate) / sampleRate), 8);
  }
  const frames = <i32>(slabBytes >> 3);
  const mask = frames - 1;
  const dT = Mathf.max(1, Mathf.min(<f32>(frames - 256), param(p, 0) * 0.001 * sampleRate));
  let d = first ? dT : load<f32>(st, 4);
  const kd = <f32>1 - Mathf.exp(-1 / (0.03 * sampleRate));
  const fb1 = param(p, 1), mix1 = param(p, 2);
  const fb0 = first ? fb1 : load<f32>(st, 12);
  const mix0 = first ? mix1 : load<f32>(st, 32);
  const inv = <f32>1 / <f32>count;
  const dfb = (fb1 - fb0) * inv, dmix = (mix1 - mix0) * inv;
  let fb = fb0, mix = mix0;
  const c = f32x4.splat(load<f32>(st, 8));
  let lp = v128.load(st, 16);
  let w = load<i32>(st, 0);
  if (d == dT && fb0 == fb1 && mix0 == mix1) {
    // Settled: constant read offset, no glide, no ramps.
    const di = <i32>d;
    const fr = f32x4.splat(d - <f32>di);
    const fbv = f32x4.splat(fb1), mixv = f32x4.splat(mix1);
    // lp' = lp (1 - c) + wet c: one multiply-add on the loop-carried path.
    const keep = f32x4.sub(f32x4.splat(1), c);
    if (d == <f32>di) {
      // A whole number of samples (the usual case) needs no interpolation.
      for (let i = 0; i < n; i++) {
        const wet = v128.load64_zero(ring + (<usize>((w - di) & mask) << 3));
        lp = f32x4.add(f32x4.mul(lp, keep), f32x4.mul(wet, c));
        const q = buf + (<usize>i << 4);
        const x = v128.load(q);
        v128.store64_lane(ring + (<usize>w << 3), flush(f32x4.add(x, f32x4.mul(lp, fbv))), 0);
        v128.store(q, f32x4.add(x, f32x4.mul(f32x4.sub(wet, x), mixv)));
        w = (w + 1) & mask;
      }
      n = 0;
    }
    for (let i = 0; i < n; i++) {
      const a = v128.load64_zero(ring + (<usize>((w - di) & mask) << 3));
      const b = v128.load64_zero(ring + (<usize>((w - di - 1) & mask) << 3));
      const wet = f32x4.add(a, f32x4.mul(f32x4.sub(b, a), fr));
      lp = f32x4.add(f32x4.mul(lp, keep), f32x4.mul(wet, c));
      const q = buf + (<usize>i << 4);
      const x = v128.load(q);
      v128.store64_lane(ring + (<usize>w << 3), flush(f32x4.add(x, f32x4.mul(lp, fbv))), 0);
      v128.store(q, f32x4.add(x, f32x4.mul(f32x4.sub(wet, x), mixv)));
      w = (w + 1) & mask;
    }
    n = 0;
  }
  for (let i = 0; i < n; i++) {
    if (d != dT) {
      // One-pole glide, rate-limited so a long jump bends pitch by at most half an octave or so.
      d += Mathf.max(<f32>-0.4, Mathf.min(<f32>0.4, (dT - d) * kd));
      if (Mathf.abs(dT - d) < 1e-3) d = dT;
    }
    fb += dfb;
    mix += dmix;
    const di = <i32>d;
    const fr = d - <f32>di;
    const r0 = ring + (<usize>((w - di) & mask) << 3);
    const r1 = ring + (<usize>((w - di - 1) & mask) << 3);
    const a = v128.load64_zero(r0), b = v128.load64_zero(r1);
    const wet = f32x4.add(a, f32x4.mul(f32x4.sub(b, a), f32x4.splat(fr)));
    lp = f32x4.add(lp, f32x4.mul(f32x4.sub(wet, lp), c));
    const q = buf + (<usize>i << 4);
    const x = v128.load(q);
    v128.store64_lane(ring + (<usize>w << 3), flush(f32x4.add(x, f32x4.mul(lp, f32x4.splat(fb)))), 0);
    v128.store(q, f32x4.add(x, f32x4.mul(f32x4.sub(wet, x), f32x4.splat(mix))));
    w = (w + 1) & mask;
  }
  store<i32>(st, w, 0);
  store<f32>(st, d, 4);
  store<f32>(st, fb1, 12);
  store<f32>(st, mix1, 32);
  v128.store(st, flush(lp), 16);
}
