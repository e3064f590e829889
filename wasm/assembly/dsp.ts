// Small DSP helpers shared by the plugins: level conversions, fast log2/exp2,
// denormal flushing and the stereo (f32x4) state-variable filter kernels.

/** 10^(db/20). */
export function dbToLin(db: f32): f32 {
  return <f32>Math.pow(10.0, <f64>db / 20.0);
}

/** Zeroes lanes whose magnitude is below 1e-15, so feedback states never decay into denormals. */
// @ts-ignore: decorator
@inline export function flush(v: v128): v128 {
  return v128.and(v, f32x4.gt(f32x4.abs(v), f32x4.splat(1e-15)));
}

// Simper's trapezoidal state-variable filter (Cytomic, "SvfLinearTrapOptimised2"):
// the same bilinear, prewarped responses as the cookbook biquads, but its
// states stay meaningful while coefficients move, so sweeps do not click.
// Stage layout (SVF_BYTES): a1 a2 a3, then the output weights d0 d1 d2 of v0, ic1, ic2
// (all splatted v128), then the states ic1 ic2 (v128).
export const SVF_BYTES: i32 = 128;

// A mode's output is m0 v0 + m1 v1 + m2 v2 with m1 = c1 k (k = 1 / q). Its
// weights (m0, c1, m2) per mode in catalog order: lowpass, highpass, bandpass
// (0 dB peak), notch, allpass. The output is linear in them, so blending two
// modes' weights crossfades their outputs exactly.
const MODE_M0: StaticArray<f64> = [0, 1, 0, 1, 1];
const MODE_C1: StaticArray<f64> = [0, -1, 1, -1, -2];
const MODE_M2: StaticArray<f64> = [1, -1, 0, 0, 0];

/** Weight `w` (0 m0, 1 c1, 2 m2) of filter mode `mode` (clamped to the catalog's five). */
export function svfModeWeight(mode: i32, w: i32): f64 {
  const m = mode < 0 ? 0 : mode > 4 ? 4 : mode;
  return w == 0 ? unchecked(MODE_M0[m]) : w == 1 ? unchecked(MODE_C1[m]) : unchecked(MODE_M2[m]);
}

/** Designs a stage for filter mode `mode` (see {@link svfModeWeight}). */
export function svfDesign(st: usize, mode: i32, f0: f64, q: f64, fs: f64): void {
  svfDesignWeights(st, svfModeWeight(mode, 0), svfModeWeight(mode, 1), svfModeWeight(mode, 2), f0, q, fs);
}

/** Designs a stage whose output is m0 v0 + c1 k v1 + m2 v2. */
export function svfDesignWeights(st: usize, m0: f64, c1: f64, m2: f64, f0: f64, q: f64, fs: f64): void {
  const k = 1.0 / q;
  svfDesignGK(st, prewarp(f0, fs), k, m0, c1 * k, m2);
}

/** g = tan(pi f0 / fs), f0 kept below Nyquist. */
function prewarp(f0: f64, fs: f64): f64 {
  return Math.tan(Math.PI * Math.min(f0, fs * 0.49) / fs);
}

// The cookbook's peaking and shelving EQs as SVF stages (Simper's bell and
// shelves: the same bilinear responses, prewarped at f0). Unlike a biquad's
// float32 coefficients, which round a 20 Hz band at 96 kHz by tenths of a dB,
// the SVF's stay exact down to the lowest bass.

/** Peaking EQ band. */
export function svfDesignPeak(st: usize, f0: f64, gainDb: f64, q: f64, fs: f64): void {
  const A = Math.pow(10.0, gainDb / 40.0);
  const k = 1.0 / (q * A);
  svfDesignGK(st, prewarp(f0, fs), k, 1.0, k * (A * A - 1.0), 0.0);
}

/** Low (high = false) or high shelf with slope S = 1, i.e. Q = 1 / sqrt(2). */
export function svfDesignShelf(st: usize, high: bool, f0: f64, gainDb: f64, fs: f64): void {
  const A = Math.pow(10.0, gainDb / 40.0);
  const rootA = Math.sqrt(A);
  const k = Math.SQRT2;
  if (!high) svfDesignGK(st, prewarp(f0, fs) / rootA, k, 1.0, k * (A - 1.0), A * A - 1.0);
  else svfDesignGK(st, prewarp(f0, fs) * rootA, k, A * A, k * (1.0 - A) * A, 1.0 - A * A);
}

/** Clears a stage's states. */
export function svfReset(st: usize): void {
  v128.store(st, f32x4.splat(0), 96);
  v128.store(st, f32x4.splat(0), 112);
}

/** Designs a stage from g = tan(pi f0 / fs), damping k and the output m0 v0 + m1 v1 + m2 v2. */
function svfDesignGK(st: usize, g: f64, k: f64, m0: f64, m1: f64, m2: f64): void {
  const a1 = 1.0 / (1.0 + g * (g + k));
  const a2 = g * a1;
  v128.store(st, f32x4.splat(<f32>a1), 0);
  v128.store(st, f32x4.splat(<f32>a2), 16);
  v128.store(st, f32x4.splat(<f32>(g * a2)), 32);
  // The output m0 v0 + m1 v1 + m2 v2, with v1 = a1 ic1 + a2 (v0 - ic2) and
  // v2 = ic2 + a2 ic1 + a3 (v0 - ic2), regrouped per input and state:
  const a3 = g * a2;
  v128.store(st, f32x4.splat(<f32>(m0 + m1 * a2 + m2 * a3)), 48);
  v128.store(st, f32x4.splat(<f32>(m1 * a1 + m2 * a2)), 64);
  v128.store(st, f32x4.splat(<f32>(m2 * (1.0 - a3) - m1 * a2)), 80);
}

/**
 * Runs an SVF stage over stereo frames [from, to) in place. The state update
 * is regrouped so its loop-carried chain is a multiply and two adds
 * (ic1' = (2 a1 - 1) ic1 + 2 a2 (v0 - ic2); ic2' = ic2 + 2 a2 ic1 + 2 a3 (v0 - ic2)),
 * the same arithmetic as 2 v1 - ic1 and 2 v2 - ic2; the outputs hang off it.
 */
export function svfRun(st: usize, buf: usize, from: i32, to: i32): void {
  const a1 = v128.load(st, 0), a2 = v128.load(st, 16), a3 = v128.load(st, 32);
  const d0 = v128.load(st, 48), d1 = v128.load(st, 64), d2 = v128.load(st, 80);
  const k11 = f32x4.sub(f32x4.add(a1, a1), f32x4.splat(1));
  const k2 = f32x4.add(a2, a2), k3 = f32x4.add(a3, a3);
  let ic1 = v128.load(st, 96), ic2 = v128.load(st, 112);
  for (let i = from; i < to; i++) {
    const p = buf + (<usize>i << 4);
    const v0 = v128.load(p);
    const v3 = f32x4.sub(v0, ic2);
    v128.store(p, f32x4.add(f32x4.add(f32x4.mul(d0, v0), f32x4.mul(d1, ic1)), f32x4.mul(d2, ic2)));
    const n1 = f32x4.add(f32x4.mul(k11, ic1), f32x4.mul(k2, v3));
    ic2 = f32x4.add(f32x4.add(ic2, f32x4.mul(k2, ic1)), f32x4.mul(k3, v3));
    ic1 = n1;
  }
  v128.store(st, flush(ic1), 96);
  v128.store(st, flush(ic2), 112);
}

/**
 * {@link svfRun} with the output weights moving linearly from d0 d1 d2 at
 * `prev` (v128 each) to the stage's own across [from, to). A gain change
 * moves an EQ stage's output weights, and the output with them at once, so
 * they glide by the sample instead of stepping every sub-block.
 */
export function svfRunRamp(st: usize, prev: usize, buf: usize, from: i32, to: i32): void {
  const a1 = v128.load(st, 0), a2 = v128.load(st, 16), a3 = v128.load(st, 32);
  const inv = f32x4.splat(<f32>1 / <f32>(to - from));
  let d0 = v128.load(prev, 0), d1 = v128.load(prev, 16), d2 = v128.load(prev, 32);
  const s0 = f32x4.mul(f32x4.sub(v128.load(st, 48), d0), inv);
  const s1 = f32x4.mul(f32x4.sub(v128.load(st, 64), d1), inv);
  const s2 = f32x4.mul(f32x4.sub(v128.load(st, 80), d2), inv);
  const k11 = f32x4.sub(f32x4.add(a1, a1), f32x4.splat(1));
  const k2 = f32x4.add(a2, a2), k3 = f32x4.add(a3, a3);
  let ic1 = v128.load(st, 96), ic2 = v128.load(st, 112);
  for (let i = from; i < to; i++) {
    const p = buf + (<usize>i << 4);
    const v0 = v128.load(p);
    const v3 = f32x4.sub(v0, ic2);
    d0 = f32x4.add(d0, s0);
    d1 = f32x4.add(d1, s1);
    d2 = f32x4.add(d2, s2);
    v128.store(p, f32x4.add(f32x4.add(f32x4.mul(d0, v0), f32x4.mul(d1, ic1)), f32x4.mul(d2, ic2)));
    const n1 = f32x4.add(f32x4.mul(k11, ic1), f32x4.mul(k2, v3));
    ic2 = f32x4.add(f32x4.add(ic2, f32x4.mul(k2, ic1)), f32x4.mul(k3, v3));
    ic1 = n1;
  }
  v128.store(st, flush(ic1), 96);
  v128.store(st, flush(ic2), 112);
}

/**
 * log2(x) on four lanes, x > 0, |error| < 2e-5 (about 1e-4 dB): the exponent
 * from the bits, a degree-5 least-squares polynomial for the mantissa in [1, 2).
 */
// @ts-ignore: decorator
@inline export function fastLog2x4(x: v128): v128 {
  const e = f32x4.convert_i32x4_s(i32x4.sub(v128.and(i32x4.shr_u(x, 23), i32x4.splat(255)), i32x4.splat(127)));
  const m = v128.or(v128.and(x, i32x4.splat(0x7fffff)), i32x4.splat(0x3f800000));
  let p = f32x4.add(f32x4.mul(f32x4.splat(0.04392760), m), f32x4.splat(-0.40946786));
  p = f32x4.add(f32x4.mul(p, m), f32x4.splat(1.61015464));
  p = f32x4.add(f32x4.mul(p, m), f32x4.splat(-3.52018534));
  p = f32x4.add(f32x4.mul(p, m), f32x4.splat(5.06973220));
  p = f32x4.add(f32x4.mul(p, m), f32x4.splat(-2.79414683));
  return f32x4.add(e, p);
}

/**
 * 2^x on four lanes, relative error < 3e-6: round(x) by the 1.5 * 2^23
 * trick (no floor, no float-to-int conversion), a degree-4 polynomial on
 * the remainder in [-0.5, 0.5], the integer part added to the exponent bits.
 */
// @ts-ignore: decorator
@inline export function fastExp2x4(x: v128): v128 {
  // pmin/pmax, not min/max: they map to single x86 instructions (wasm min/max
  // need NaN and -0 fix-ups that cost several), and NaN does not matter here.
  const c = f32x4.pmax(f32x4.splat(-125), f32x4.pmin(f32x4.splat(125), x));
  const magic = f32x4.splat(12582912);
  const t = f32x4.add(c, magic);
  const f = f32x4.sub(c, f32x4.sub(t, magic));
  let p = f32x4.add(f32x4.mul(f32x4.splat(0.009676037), f), f32x4.splat(0.055922036));
  p = f32x4.add(f32x4.mul(p, f), f32x4.splat(0.240221074));
  p = f32x4.add(f32x4.mul(p, f), f32x4.splat(0.693121034));
  p = f32x4.add(f32x4.mul(p, f), f32x4.splat(1.000000075));
  return i32x4.add(p, i32x4.shl(i32x4.sub(t, i32x4.splat(0x4b400000)), 23));
}

/** Two cascaded SVF stages in one pass, so their recursions overlap (settled filters only). */
export function svfRun2(sa: usize, sb: usize, buf: usize, n: i32): void {
  const one = f32x4.splat(1);
  const ad0 = v128.load(sa, 48), ad1 = v128.load(sa, 64), ad2 = v128.load(sa, 80);
  const bd0 = v128.load(sb, 48), bd1 = v128.load(sb, 64), bd2 = v128.load(sb, 80);
  const ak11 = f32x4.sub(f32x4.add(v128.load(sa, 0), v128.load(sa, 0)), one);
  const ak2 = f32x4.add(v128.load(sa, 16), v128.load(sa, 16)), ak3 = f32x4.add(v128.load(sa, 32), v128.load(sa, 32));
  const bk11 = f32x4.sub(f32x4.add(v128.load(sb, 0), v128.load(sb, 0)), one);
  const bk2 = f32x4.add(v128.load(sb, 16), v128.load(sb, 16)), bk3 = f32x4.add(v128.load(sb, 32), v128.load(sb, 32));
  let ai1 = v128.load(sa, 96), ai2 = v128.load(sa, 112);
  let bi1 = v128.load(sb, 96), bi2 = v128.load(sb, 112);
  for (let i = 0; i < n; i++) {
    const p = buf + (<usize>i << 4);
    const x = v128.load(p);
    const av3 = f32x4.sub(x, ai2);
    const y = f32x4.add(f32x4.add(f32x4.mul(ad0, x), f32x4.mul(ad1, ai1)), f32x4.mul(ad2, ai2));
    const an1 = f32x4.add(f32x4.mul(ak11, ai1), f32x4.mul(ak2, av3));
    ai2 = f32x4.add(f32x4.add(ai2, f32x4.mul(ak2, ai1)), f32x4.mul(ak3, av3));
    ai1 = an1;
    const bv3 = f32x4.sub(y, bi2);
    v128.store(p, f32x4.add(f32x4.add(f32x4.mul(bd0, y), f32x4.mul(bd1, bi1)), f32x4.mul(bd2, bi2)));
    const bn1 = f32x4.add(f32x4.mul(bk11, bi1), f32x4.mul(bk2, bv3));
    bi2 = f32x4.add(f32x4.add(bi2, f32x4.mul(bk2, bi1)), f32x4.mul(bk3, bv3));
    bi1 = bn1;
  }
  v128.store(sa, flush(ai1), 96);
  v128.store(sa, flush(ai2), 112);
  v128.store(sb, flush(bi1), 96);
  v128.store(sb, flush(bi2), 112);
}

/** Lanes 0-1 (left, right) of a stereo frame; lanes 2-3 are zero in every buffer. */
export const LR: v128 = i32x4(-1, -1, 0, 0);

/** Lanes 0-1 of `a` then lanes 0-1 of `b`: two stages' stereo values in one vector. */
// @ts-ignore: decorator
@inline function packLR(a: v128, b: v128): v128 {
  return v128.shuffle<f32>(a, b, 0, 1, 4, 5);
}

/** All lanes set for an active stage: stage s works on frame i - s, which must lie in [0, n). */
// @ts-ignore: decorator
@inline function stageMask(i: i32, s: i32, n: i32): i32 {
  return s <= i && i - s < n ? -1 : 0;
}

/**
 * Four cascaded SVF stages (settled filters only) a, b, c, d in two vectors,
 * P = [a | b] and Q = [c | d], left and right in each half. The stages run
 * skewed by a frame each: at step i, a works on frame i, b on a's output for
 * frame i - 1 (the last P), c on b's for i - 2, d on c's for i - 3. The lanes
 * that were idle in the one-stage kernels thus carry a second stage (measured
 * ~12% faster over a ten-filter chain than pairs; the loop is bound by its
 * instruction count, and a wider skew gained nothing). Every lane does exactly
 * the operations of {@link svfRun} in the same order, so the output is
 * bit-identical to running the stages one after the other. The skew is
 * closed inside the block: on the first and last three steps a stage outside
 * its frames keeps its states and its output is not used.
 */
export function svfRun4(sa: usize, sb: usize, sc: usize, sd: usize, buf: usize, n: i32): void {
  if (n <= 0) return;
  const one = f32x4.splat(1), zero = f32x4.splat(0);
  const pd0 = packLR(v128.load(sa, 48), v128.load(sb, 48)), qd0 = packLR(v128.load(sc, 48), v128.load(sd, 48));
  const pd1 = packLR(v128.load(sa, 64), v128.load(sb, 64)), qd1 = packLR(v128.load(sc, 64), v128.load(sd, 64));
  const pd2 = packLR(v128.load(sa, 80), v128.load(sb, 80)), qd2 = packLR(v128.load(sc, 80), v128.load(sd, 80));
  const pa1 = packLR(v128.load(sa, 0), v128.load(sb, 0)), qa1 = packLR(v128.load(sc, 0), v128.load(sd, 0));
  const pa2 = packLR(v128.load(sa, 16), v128.load(sb, 16)), qa2 = packLR(v128.load(sc, 16), v128.load(sd, 16));
  const pa3 = packLR(v128.load(sa, 32), v128.load(sb, 32)), qa3 = packLR(v128.load(sc, 32), v128.load(sd, 32));
  const pk11 = f32x4.sub(f32x4.add(pa1, pa1), one), pk2 = f32x4.add(pa2, pa2), pk3 = f32x4.add(pa3, pa3);
  const qk11 = f32x4.sub(f32x4.add(qa1, qa1), one), qk2 = f32x4.add(qa2, qa2), qk3 = f32x4.add(qa3, qa3);
  let pi1 = packLR(v128.load(sa, 96), v128.load(sb, 96)), pi2 = packLR(v128.load(sa, 112), v128.load(sb, 112));
  let qi1 = packLR(v128.load(sc, 96), v128.load(sd, 96)), qi2 = packLR(v128.load(sc, 112), v128.load(sd, 112));
  let py = zero, qy = zero;
  const steps = n + 3;
  for (let i = 0; i < steps; i++) {
    const x = i < n ? v128.load(buf + (<usize>i << 4)) : zero;
    const pv = v128.shuffle<f32>(x, py, 0, 1, 4, 5);
    const qv = v128.shuffle<f32>(py, qy, 2, 3, 4, 5);
    const pv3 = f32x4.sub(pv, pi2), qv3 = f32x4.sub(qv, qi2);
    py = f32x4.add(f32x4.add(f32x4.mul(pd0, pv), f32x4.mul(pd1, pi1)), f32x4.mul(pd2, pi2));
    qy = f32x4.add(f32x4.add(f32x4.mul(qd0, qv), f32x4.mul(qd1, qi1)), f32x4.mul(qd2, qi2));
    const pn1 = f32x4.add(f32x4.mul(pk11, pi1), f32x4.mul(pk2, pv3));
    const qn1 = f32x4.add(f32x4.mul(qk11, qi1), f32x4.mul(qk2, qv3));
    const pn2 = f32x4.add(f32x4.add(pi2, f32x4.mul(pk2, pi1)), f32x4.mul(pk3, pv3));
    const qn2 = f32x4.add(f32x4.add(qi2, f32x4.mul(qk2, qi1)), f32x4.mul(qk3, qv3));
    if (i >= 3 && i < n) {
      pi1 = pn1; pi2 = pn2; qi1 = qn1; qi2 = qn2;
    } else {
      const pm = i32x4.replace_lane(i32x4.replace_lane(i32x4.splat(stageMask(i, 0, n)), 2, stageMask(i, 1, n)), 3, stageMask(i, 1, n));
      const qm = i32x4.replace_lane(i32x4.replace_lane(i32x4.splat(stageMask(i, 2, n)), 2, stageMask(i, 3, n)), 3, stageMask(i, 3, n));
      pi1 = v128.bitselect(pn1, pi1, pm); pi2 = v128.bitselect(pn2, pi2, pm);
      qi1 = v128.bitselect(qn1, qi1, qm); qi2 = v128.bitselect(qn2, qi2, qm);
    }
    if (i >= 3) v128.store(buf + (<usize>(i - 3) << 4), v128.shuffle<f32>(qy, zero, 2, 3, 4, 5));
  }
  v128.store(sa, flush(v128.and(pi1, LR)), 96);
  v128.store(sa, flush(v128.and(pi2, LR)), 112);
  v128.store(sb, flush(v128.shuffle<f32>(pi1, zero, 2, 3, 4, 5)), 96);
  v128.store(sb, flush(v128.shuffle<f32>(pi2, zero, 2, 3, 4, 5)), 112);
  v128.store(sc, flush(v128.and(qi1, LR)), 96);
  v128.store(sc, flush(v128.and(qi2, LR)), 112);
  v128.store(sd, flush(v128.shuffle<f32>(qi1, zero, 2, 3, 4, 5)), 96);
  v128.store(sd, flush(v128.shuffle<f32>(qi2, zero, 2, 3, 4, 5)), 112);
}
