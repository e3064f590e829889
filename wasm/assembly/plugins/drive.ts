// `drive`: tanh saturation with first-order antiderivative antialiasing
// (ADAA, Parker/Zavalishin/Le Bivic 2016), then a one-pole tone lowpass,
// dry/wet mix and output level.
// Params: 0 drive_db 1 tone (Hz) 2 mix 3 output_db.
import { P_FRESH, P_STATE } from '../layout';
import { dbToLin } from '../dsp';
import { param, smoothParams } from '../params';
import { sampleRate } from '../state';

// State: +0 f64 previous driven input L, +8 R, +16 v128 tone state,
// +32 f32 drive gain, +36 f32 mix, +40 f32 output gain, +44 f32 tone coef.

/** log(cosh(x)), the antiderivative of tanh, without overflow. */
// @ts-ignore: decorator
@inline function logCosh(x: f64): f64 {
  const a = Math.abs(x);
  return a + Math.log1p(Math.exp(-2.0 * a)) - Math.LN2;
}

/**
 * First-order ADAA: (F(x) - F(prev)) / (x - prev), with F(prev) carried over
 * from the previous sample (one log-cosh per sample); tanh of the midpoint
 * when the two are too close for the difference quotient.
 */
// @ts-ignore: decorator
@inline function adaa(x: f64, fx: f64, prev: f64, fprev: f64): f64 {
  const d = x - prev;
  if (Math.abs(d) < 1e-6) return Math.tanh(0.5 * (x + prev));
  return (fx - fprev) / d;
}

export function driveProcess(p: usize, buf: usize, n: i32): void {
  const st = p + P_STATE;
  const first = load<i32>(p, P_FRESH) != 0;
  smoothParams(p, 4, 0);
  const g1 = dbToLin(param(p, 0)), mix1 = param(p, 2), out1 = dbToLin(param(p, 3));
  const g0 = first ? g1 : load<f32>(st, 32);
  const mix0 = first ? mix1 : load<f32>(st, 36);
  const out0 = first ? out1 : load<f32>(st, 40);
  const inv = <f32>1 / <f32>n;
  const dg = (g1 - g0) * inv, dmix = (mix1 - mix0) * inv, dout = (out1 - out0) * inv;
  let g = g0, mix = mix0, out = out0;
  const c = f32x4.splat(1 - Mathf.exp(-2 * Mathf.PI * Mathf.min(param(p, 1), 0.45 * sampleRate) / sampleRate));
  let lp = v128.load(st, 16);
  let pl = load<f64>(st, 0), pr = load<f64>(st, 8);
  let fl = logCosh(pl), fr = logCosh(pr);
  for (let i = 0; i < n; i++) {
    const q = buf + (<usize>i << 4);
    const x = v128.load(q);
    g += dg;
    mix += dmix;
    out += dout;
    const xl = <f64>(f32x4.extract_lane(x, 0) * g), xr = <f64>(f32x4.extract_lane(x, 1) * g);
    const fxl = logCosh(xl), fxr = logCosh(xr);
    const sat = f32x4(<f32>adaa(xl, fxl, pl, fl), <f32>adaa(xr, fxr, pr, fr), 0, 0);
    pl = xl;
    pr = xr;
    fl = fxl;
    fr = fxr;
    lp = f32x4.add(lp, f32x4.mul(f32x4.sub(sat, lp), c));
    const y = f32x4.add(x, f32x4.mul(f32x4.sub(lp, x), f32x4.splat(mix)));
    v128.store(q, f32x4.mul(y, f32x4.splat(out)));
  }
  store<f64>(st, pl, 0);
  store<f64>(st, pr, 8);
  v128.store(st, v128.and(lp, f32x4.gt(f32x4.abs(lp), f32x4.splat(1e-15))), 16);
  store<f32>(st, g1, 32);
  store<f32>(st, mix1, 36);
  store<f32>(st, out1, 40);
}
