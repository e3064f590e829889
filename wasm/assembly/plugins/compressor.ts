// `compressor`: feed-forward, soft knee, log-domain smooth branching peak
// detector after Giannoulis, Massberg & Reiss (JAES 2012). Stereo-linked:
// the detector follows max(|L|, |R|).
// Params: 0 threshold_db 1 ratio 2 attack_ms 3 release_ms 4 knee_db 5 makeup_db.
import { P_FRESH, P_STATE } from '../layout';
import { fastExp2x4, fastLog2x4 } from '../dsp';
import { param, smoothParams } from '../params';
import { sampleRate } from '../state';

// State: +0 f32 detector level yL (dB of gain reduction), +4 alphaA, +8 alphaR,
// +12 makeup applied at the end of the last block (dB).
const DB_PER_LOG2: f32 = 6.020599913; // 20 log10(2)
const LOG2_PER_DB: f32 = 0.166096405; // 1 / DB_PER_LOG2

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
  // Four frames at a time: the level detection (log), the gain computer and
  // the gain (exp) run on f32x4 lanes = consecutive frames; only the
  // recursive peak detector steps frame by frame. Levels are kept in log2
  // units (dB / 6.02) so no conversion multiplies are needed; the detector
  // is linear, so the scale does not change its behaviour.
  const T = f32x4.splat(t * LOG2_PER_DB), W = f32x4.splat(w * LOG2_PER_DB), halfW = f32x4.splat(w * 0.5 * LOG2_PER_DB);
  const slope = f32x4.splat(1 - 1 / r);
  const halfInvW = f32x4.splat(w > 0 ? 0.5 / (w * LOG2_PER_DB) : 0);
  const zero = f32x4.splat(0);
  const floorLevel = f32x4.splat(1e-9);
  const bA = <f32>1 - aA, bR = <f32>1 - aR;
  m *= LOG2_PER_DB;
  const dml = dm * LOG2_PER_DB;
  let mv = f32x4(m + dml, m + 2 * dml, m + 3 * dml, m + 4 * dml);
  const dm4 = f32x4.splat(4 * dml);
  yl *= LOG2_PER_DB;
  for (let i = 0; i < n; i += 4) {
    const a = buf + (<usize>i << 4);
    const x0 = v128.load(a), x1 = v128.load(a, 16), x2 = v128.load(a, 32), x3 = v128.load(a, 48);
    const lo = v128.shuffle<f32>(x0, x1, 0, 1, 4, 5), hi = v128.shuffle<f32>(x2, x3, 0, 1, 4, 5);
    const left = v128.shuffle<f32>(lo, hi, 0, 2, 4, 6), right = v128.shuffle<f32>(lo, hi, 1, 3, 5, 7);
    const peak = f32x4.pmax(floorLevel, f32x4.pmax(f32x4.abs(left), f32x4.abs(right)));
    // Gain reduction of the soft-knee static curve, branch-free. With d = x - T and
    // u = clamp(d + W/2, 0, W): (1 - 1/R) (u^2 / 2W + max(0, d - W/2)), which is
    // 0 below the knee, (1 - 1/R)(d + W/2)^2 / 2W inside it and (1 - 1/R) d above.
    const d = f32x4.sub(fastLog2x4(peak), T);
    const u = f32x4.pmin(W, f32x4.pmax(zero, f32x4.add(d, halfW)));
    const xl = f32x4.mul(slope, f32x4.add(f32x4.mul(f32x4.mul(u, u), halfInvW), f32x4.pmax(zero, f32x4.sub(d, halfW))));
    // Smooth branching peak detector (log domain), frame by frame, branch-free:
    // both branches computed side by side, the comparison picks (shortest dependency chain).
    const l0 = f32x4.extract_lane(xl, 0), l1 = f32x4.extract_lane(xl, 1), l2 = f32x4.extract_lane(xl, 2), l3 = f32x4.extract_lane(xl, 3);
    yl = select<f32>(aA * yl + bA * l0, aR * yl + bR * l0, l0 > yl);
    const y0 = yl;
    yl = select<f32>(aA * yl + bA * l1, aR * yl + bR * l1, l1 > yl);
    const y1 = yl;
    yl = select<f32>(aA * yl + bA * l2, aR * yl + bR * l2, l2 > yl);
    const y2 = yl;
    yl = select<f32>(aA * yl + bA * l3, aR * yl + bR * l3, l3 > yl);
    const g = fastExp2x4(f32x4.sub(mv, f32x4(y0, y1, y2, yl)));
    mv = f32x4.add(mv, dm4);
    v128.store(a, f32x4.mul(x0, v128.shuffle<f32>(g, g, 0, 0, 0, 0)), 0);
    v128.store(a, f32x4.mul(x1, v128.shuffle<f32>(g, g, 1, 1, 1, 1)), 16);
    v128.store(a, f32x4.mul(x2, v128.shuffle<f32>(g, g, 2, 2, 2, 2)), 32);
    v128.store(a, f32x4.mul(x3, v128.shuffle<f32>(g, g, 3, 3, 3, 3)), 48);
  }
  yl *= DB_PER_LOG2;
  store<f32>(st, yl < 1e-12 ? 0 : yl, 0);
  store<f32>(st, makeup, 12);
}
