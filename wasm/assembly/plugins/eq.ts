// `eq`: RBJ low shelf (S = 1), two peaking bands, RBJ high shelf (S = 1),
// as Simper SVF stages (the cookbook's responses, exact in float32 down to
// 20 Hz at 96 kHz) on stereo f32x4 lanes.
// Params: 0 low_freq 1 low_gain 2 mid1_freq 3 mid1_gain 4 mid1_q
//         5 mid2_freq 6 mid2_gain 7 mid2_q 8 high_freq 9 high_gain.
// A band at exactly 0 dB is the identity, so it is skipped (and its state
// cleared). While params move they glide (~5 ms; frequencies and Qs
// geometrically) and the coefficients follow every SUB frames.
import { P_CUR, P_FRESH, P_STATE, P_TARGET } from '../layout';
import { SVF_BYTES, svfDesignPeak, svfDesignShelf, svfReset, svfRun, svfRun4, svfRunRamp } from '../dsp';
import { sampleRate } from '../state';

// State: four SVF stages, then i32 bitmask of active bands, then per band the
// output weights (d0 d1 d2, v128 each) of the sub-block before, while gliding.
const MASK: i32 = 4 * SVF_BYTES;
const PREV: i32 = MASK + 16;
const PREV_BYTES: i32 = 48;
const SUB: i32 = 32;
// Params that glide geometrically (frequencies and Qs); gains glide linearly.
const GEOMETRIC: i32 = (1 << 0) | (1 << 2) | (1 << 4) | (1 << 5) | (1 << 7) | (1 << 8);

// @ts-ignore: decorator
@inline function cur(p: usize, i: i32): f64 {
  return <f64>load<f32>(p + (<usize>i << 2), P_CUR);
}

function design(p: usize): void {
  const st = p + P_STATE;
  const fs = <f64>sampleRate;
  let mask = 0;
  const g0 = cur(p, 1), g1 = cur(p, 3), g2 = cur(p, 6), g3 = cur(p, 9);
  if (g0 != 0) { mask |= 1; svfDesignShelf(st, false, cur(p, 0), g0, fs); }
  if (g1 != 0) { mask |= 2; svfDesignPeak(st + SVF_BYTES, cur(p, 2), g1, Math.max(0.01, cur(p, 4)), fs); }
  if (g2 != 0) { mask |= 4; svfDesignPeak(st + 2 * SVF_BYTES, cur(p, 5), g2, Math.max(0.01, cur(p, 7)), fs); }
  if (g3 != 0) { mask |= 8; svfDesignShelf(st + 3 * SVF_BYTES, true, cur(p, 8), g3, fs); }
  const old = load<i32>(st, MASK);
  for (let b = 0; b < 4; b++) if ((old >> b) & 1 && !((mask >> b) & 1)) svfReset(st + b * SVF_BYTES);
  store<i32>(st, mask, MASK);
}

/** Moves every param one sub-block toward its target; true while any moves. */
function glide(p: usize, k: f64): bool {
  let moving = false;
  for (let i = 0; i < 10; i++) {
    const a = p + (<usize>i << 2);
    const c = <f64>load<f32>(a, P_CUR), t = <f64>load<f32>(a, P_TARGET);
    if (c == t) continue;
    moving = true;
    let next: f64;
    if ((GEOMETRIC >> i) & 1) {
      const r = Math.log(Math.max(1e-6, t) / Math.max(1e-6, c));
      next = Math.abs(r) < 1e-4 ? t : c * Math.exp(r * k);
    } else {
      next = Math.abs(t - c) < 1e-3 ? t : c + (t - c) * k;
    }
    store<f32>(a, <f32>next, P_CUR);
  }
  return moving;
}

function runBands(st: usize, buf: usize, from: i32, to: i32): void {
  const mask = load<i32>(st, MASK);
  if (mask == 15) {
    svfRun4(st, st + SVF_BYTES, st + 2 * SVF_BYTES, st + 3 * SVF_BYTES, buf + (<usize>from << 4), to - from);
    return;
  }
  for (let i = 0; i < 4; i++) if ((mask >> i) & 1) svfRun(st + i * SVF_BYTES, buf, from, to);
}

/** Keeps each band's output weights before a redesign; a band that was off was the identity. */
function keepWeights(st: usize): void {
  const mask = load<i32>(st, MASK);
  for (let b = 0; b < 4; b++) {
    const to = st + PREV + b * PREV_BYTES;
    if ((mask >> b) & 1) memory.copy(to, st + b * SVF_BYTES + 48, PREV_BYTES);
    else {
      v128.store(to, f32x4.splat(1), 0);
      v128.store(to, f32x4.splat(0), 16);
      v128.store(to, f32x4.splat(0), 32);
    }
  }
}

/** Runs the active bands over [from, to), their output weights gliding from the kept ones. */
function runBandsRamped(st: usize, buf: usize, from: i32, to: i32): void {
  const mask = load<i32>(st, MASK);
  for (let b = 0; b < 4; b++) if ((mask >> b) & 1) svfRunRamp(st + b * SVF_BYTES, st + PREV + b * PREV_BYTES, buf, from, to);
}

export function eqProcess(p: usize, buf: usize, n: i32): void {
  const st = p + P_STATE;
  if (load<i32>(p, P_FRESH) != 0) {
    memory.copy(p + P_CUR, p + P_TARGET, 40);
    design(p);
  }
  const k = 1.0 - Math.exp(-<f64>SUB / (0.005 * <f64>sampleRate));
  let from = 0;
  while (from < n && glide(p, k)) {
    keepWeights(st);
    design(p);
    runBandsRamped(st, buf, from, from + SUB);
    from += SUB;
  }
  runBands(st, buf, from, n);
}
