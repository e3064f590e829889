// Linear gain ramps over the 5 ms smoothing time: a jump from 0 dB to -60 dB
// moves the gain by (1 - 0.001) / rampSamples per sample at most.
import { rampSamples } from './state';

// WASM CONTRACT (internal): ramp record, RAMP_BYTES, 16-byte aligned:
//   +0 v128 current gain [L, R, 0, 0]; +16 v128 step; +32 i32 samples left;
//   +36 f32 target L; +40 f32 target R; +44 i32 initialised flag.
export const RAMP_BYTES: i32 = 48;

/** Sets a new stereo target; snaps when `snap` or on first use, else ramps over 5 ms. */
export function rampTarget(r: usize, tl: f32, tr: f32, snap: bool): void {
  const init = load<i32>(r, 44);
  if (init != 0 && !snap && load<f32>(r, 36) == tl && load<f32>(r, 40) == tr) return;
  store<f32>(r, tl, 36);
  store<f32>(r, tr, 40);
  const target = f32x4(tl, tr, 0, 0);
  if (snap || init == 0) {
    v128.store(r, target, 0);
    v128.store(r, f32x4.splat(0), 16);
    store<i32>(r, 0, 32);
    store<i32>(r, 1, 44);
    return;
  }
  const cur = v128.load(r, 0);
  v128.store(r, f32x4.div(f32x4.sub(target, cur), f32x4.splat(<f32>rampSamples)), 16);
  store<i32>(r, rampSamples, 32);
}

/** Multiplies n stereo frames by the ramped gain, in place. */
export function rampApply(r: usize, buf: usize, n: i32): void {
  let g = v128.load(r, 0);
  let left = load<i32>(r, 32);
  let i = 0;
  if (left > 0) {
    const step = v128.load(r, 16);
    const m = left < n ? left : n;
    const target = f32x4(load<f32>(r, 36), load<f32>(r, 40), 0, 0);
    for (; i < m; i++) {
      // Counted back from the target, so rounding cannot accumulate along the ramp.
      g = f32x4.sub(target, f32x4.mul(step, f32x4.splat(<f32>(left - i - 1))));
      const p = buf + (<usize>i << 4);
      v128.store(p, f32x4.mul(v128.load(p), g));
    }
    left -= m;
    if (left == 0) g = f32x4(load<f32>(r, 36), load<f32>(r, 40), 0, 0);
    store<i32>(r, left, 32);
    v128.store(r, g, 0);
  }
  for (; i < n; i++) {
    const p = buf + (<usize>i << 4);
    v128.store(p, f32x4.mul(v128.load(p), g));
  }
}

// Scalar ramp (sends, levels): +0 f32 current, +4 f32 target, +8 f32 step, +12 i32 left.
export const SRAMP_BYTES: i32 = 16;

/** Sets a scalar ramp's target (5 ms linear), snapping when asked. */
export function srampTarget(r: usize, target: f32, snap: bool): void {
  if (snap) {
    store<f32>(r, target, 0);
    store<f32>(r, target, 4);
    store<i32>(r, 0, 12);
    return;
  }
  if (load<f32>(r, 4) == target) return;
  store<f32>(r, target, 4);
  store<f32>(r, (target - load<f32>(r, 0)) / <f32>rampSamples, 8);
  store<i32>(r, rampSamples, 12);
}

/** dst += src * ramped gain over n stereo frames. */
export function srampMixInto(r: usize, src: usize, dst: usize, n: i32): void {
  let g = load<f32>(r, 0);
  let left = load<i32>(r, 12);
  let i = 0;
  if (left > 0) {
    const step = load<f32>(r, 8);
    const m = left < n ? left : n;
    for (; i < m; i++) {
      g += step;
      const o = <usize>i << 4;
      v128.store(dst + o, f32x4.add(v128.load(dst + o), f32x4.mul(v128.load(src + o), f32x4.splat(g))));
    }
    left -= m;
    if (left == 0) g = load<f32>(r, 4);
    store<f32>(r, g, 0);
    store<i32>(r, left, 12);
  }
  const gv = f32x4.splat(g);
  for (; i < n; i++) {
    const o = <usize>i << 4;
    v128.store(dst + o, f32x4.add(v128.load(dst + o), f32x4.mul(v128.load(src + o), gv)));
  }
}
