// `compressor`: feed-forward, soft knee, log-domain smooth branching peak
// detector after Giannoulis, Massberg & Reiss (JAES 2012). Stereo-linked:
// the detector follows max(|L|, |R|).
// Params: 0 threshold_db 1 ratio 2 attack_ms 3 release_ms 4 knee_db 5 makeup_db.
import { P_FRESH, P_STATE } from '../layout';
import { fastExp2, fastLog2 } from '../dsp';
import { param, smoothParams } from '../params';
import { sampleRate } from '../state';

// State: +0 f32 detector level yL (dB of gain reduction), +4 alphaA, +8 alphaR,
// +12 makeup applied at the end of the last block (dB).
const DB_PER_LOG2: f32 = 6.020599913; // 20 log10(2)
const LOG2_PER_DB: f32 = 0.166096405; // 1 / DB_PER_LOG2

/** Static gain computer: output level (dB) for input level x (dB). */
// @ts-ignore: decorator
@inline function gainComputer(x: f32, t: f32, r: f32, w: f32): f32 {
  const d = x - t;
  if (<f32>2 * d < -w) return x;
  if (w > 0 && <f32>2 * Mathf.abs(d) <= w) {
    const k = d + w * 0.5;
    return x + (1 / r - 1) * k * k / (2 * w);
  }
  return t + d / r;
}

export function compressorProcess(p: usize, buf: usize, n: i32): void {
  const st = p + P_STATE;
  const first = load<i32>(p, P_FRESH) != 0;
  if (smoothParams(p, 6, 0)) {
    const fs = sampleRate;
    store<f32>(st, Mathf.exp(-1 / (Mathf.max(0.01, param(p, 2)) * 0.001 * fs)), 4);
    store<f32>(st, Mathf.exp(-1 / (Mathf.max(0.01, param(p, 3)) * 0.001 * fs)), 8);
  }
  const t = param(p, 0);
  const r = Mathf.max(1, param(p, 1));
  const w = Mathf.max(0, param(p, 4));
  const aA = load<f32>(st, 4), aR = load<f32>(st, 8);
  const makeup = param(p, 5);
  // The makeup gain moves linearly across the block instead of stepping.
  const oldMakeup = first ? makeup : load<f32>(st, 12);
  let m = oldMakeup;
  const dm = (makeup - oldMakeup) / <f32>n;
  let yl = load<f32>(st, 0);
  for (let i = 0; i < n; i++) {
    const a = buf + (<usize>i << 4);
    const x = v128.load(a);
    const ax = f32x4.abs(x);
    const peak = Mathf.max(f32x4.extract_lane(ax, 0), f32x4.extract_lane(ax, 1));
    const xg = peak < 1e-9 ? <f32>-180 : DB_PER_LOG2 * fastLog2(peak);
    const xl = xg - gainComputer(xg, t, r, w);
    yl = xl > yl ? aA * yl + (1 - aA) * xl : aR * yl + (1 - aR) * xl;
    m += dm;
    const g = fastExp2((m - yl) * LOG2_PER_DB);
    v128.store(a, f32x4.mul(x, f32x4.splat(g)));
  }
  store<f32>(st, yl < 1e-12 ? 0 : yl, 0);
  store<f32>(st, makeup, 12);
}
