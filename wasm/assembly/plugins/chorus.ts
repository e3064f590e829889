// `chorus`: a modulated delay per channel, the two LFOs a quarter cycle
// apart, linear interpolation; dry/wet by `mix`.
// Params: 0 rate_hz 1 depth_ms 2 mix.
import { P_FRESH, P_SLAB, P_STATE } from '../layout';
import { param, smoothParams } from '../params';
import { sampleRate } from '../state';

// State: +0 i32 write index, +8 f64 LFO cos, +16 f64 LFO sin, +24 f32 depth, +28 f32 mix.
// Slab: ring of 4096 stereo frames per 48 kHz (power of two).
const BASE_MS: f32 = 7;

export function chorusProcess(p: usize, buf: usize, n: i32): void {
  const st = p + P_STATE;
  const ring = load<usize>(p, P_SLAB);
  if (ring == 0) return;
  const first = load<i32>(p, P_FRESH) != 0;
  smoothParams(p, 3, 0);
  if (first) {
    store<f64>(st, 1.0, 8);
    store<f64>(st, 0.0, 16);
  }
  let frames = 1;
  while (<f32>frames < 0.03 * sampleRate) frames <<= 1;
  const mask = frames - 1;
  const ms: f32 = <f32>0.001 * sampleRate;
  const depth1 = param(p, 1) * ms, mix1 = param(p, 2);
  const depth0 = first ? depth1 : load<f32>(st, 24);
  const mix0 = first ? mix1 : load<f32>(st, 28);
  const inv = <f32>1 / <f32>n;
  const dd = (depth1 - depth0) * inv, dm = (mix1 - mix0) * inv;
  let depth = depth0, mix = mix0;
  const w = 2.0 * Math.PI * <f64>param(p, 0) / <f64>sampleRate;
  const cw = Math.cos(w), sw = Math.sin(w);
  let c = load<f64>(st, 8), s = load<f64>(st, 16);
  let wi = load<i32>(st, 0);
  const base = BASE_MS * ms;
  for (let i = 0; i < n; i++) {
    const q = buf + (<usize>i << 4);
    const x = v128.load(q);
    v128.store64_lane(ring + (<usize>wi << 3), x, 0);
    depth += dd;
    mix += dm;
    // Rotate the quadrature oscillator: left follows sin, right cos.
    const nc = c * cw - s * sw;
    s = s * cw + c * sw;
    c = nc;
    const dl = base + depth * (0.5 + 0.5 * <f32>s);
    const dr = base + depth * (0.5 + 0.5 * <f32>c);
    const il = <i32>dl, ir = <i32>dr;
    const fl = dl - <f32>il, fr = dr - <f32>ir;
    const l0 = load<f32>(ring + (<usize>((wi - il) & mask) << 3));
    const l1 = load<f32>(ring + (<usize>((wi - il - 1) & mask) << 3));
    const r0 = load<f32>(ring + (<usize>((wi - ir) & mask) << 3), 4);
    const r1 = load<f32>(ring + (<usize>((wi - ir - 1) & mask) << 3), 4);
    const wet = f32x4(l0 + (l1 - l0) * fl, r0 + (r1 - r0) * fr, 0, 0);
    v128.store(q, f32x4.add(x, f32x4.mul(f32x4.sub(wet, x), f32x4.splat(mix))));
    wi = (wi + 1) & mask;
  }
  // Renormalise the oscillator once per block so rounding cannot grow or shrink it.
  const r = 1.0 / Math.sqrt(c * c + s * s);
  store<f64>(st, c * r, 8);
  store<f64>(st, s * r, 16);
  store<i32>(st, wi, 0);
  store<f32>(st, depth1, 24);
  store<f32>(st, mix1, 28);
}
