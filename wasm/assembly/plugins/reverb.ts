// `reverb`: Freeverb (Jezar at Dreampoint) topology: 8 parallel lowpass-
// feedback combs then 4 series allpasses per channel, the right channel's
// lines 23 samples longer; tunings (line lengths, the damping pole) scaled
// from 44.1 kHz to the engine rate.
// Runs the 16 combs as four f32x4 groups (lane = one comb) and the allpasses
// with L and R in one vector. A DC blocker on the wet path stops DC build-up.
// Params: 0 room_size 1 damping 2 width 3 mix 4 predelay_ms.
import { P_FRESH, P_SLAB, P_STATE } from '../layout';
import { flush } from '../dsp';
import { param, smoothParams } from '../params';
import { sampleRate } from '../state';

const COMBS: StaticArray<i32> = [1116, 1188, 1277, 1356, 1422, 1491, 1557, 1617];
const ALLPASSES: StaticArray<i32> = [556, 441, 341, 225];
const SPREAD: i32 = 23;
const FIXED_GAIN: f32 = 0.015;
const SCALE_DAMP: f32 = 0.4;
const SCALE_ROOM: f32 = 0.28;
const OFFSET_ROOM: f32 = 0.7;
const AP_FEEDBACK: f32 = 0.5;
const LR: v128 = i32x4(-1, -1, 0, 0);

// State (from P_STATE): +0 4 x v128 comb filter stores; +64 v128 dc x1; +80 v128 dc y1;
// +96 i32[16] comb lengths (group-major); +160 i32[8] allpass lengths (stage-major, L R);
// +192 comb write, +196 allpass write, +200 predelay write, +204 comb mask,
// +208 allpass mask, +212 predelay mask, +216 f32 feedback, +220 damp1,
// +224 damp2, +228 f32 mix, +232 f32 width, +236 i32 initialised,
// +240 i32 allpass region offset, +244 i32 predelay region offset, +248 f32 predelay (samples).

function pow2Above(x: i32): i32 {
  let n = 1;
  while (n <= x) n <<= 1;
  return n;
}

function init(st: usize): void {
  const scale = sampleRate / 44100;
  let maxComb = 0;
  for (let g = 0; g < 4; g++) {
    for (let k = 0; k < 4; k++) {
      const len = <i32>Mathf.round(<f32>(unchecked(COMBS[(g & 1) * 4 + k]) + (g >= 2 ? SPREAD : 0)) * scale);
      store<i32>(st + ((g * 4 + k) << 2), len, 96);
      if (len > maxComb) maxComb = len;
    }
  }
  let maxAp = 0;
  for (let s = 0; s < 4; s++) {
    for (let c = 0; c < 2; c++) {
      const len = <i32>Mathf.round(<f32>(unchecked(ALLPASSES[s]) + c * SPREAD) * scale);
      store<i32>(st + ((s * 2 + c) << 2), len, 160);
      if (len > maxAp) maxAp = len;
    }
  }
  const cn = pow2Above(maxComb), an = pow2Above(maxAp), pn = pow2Above(<i32>(0.2 * sampleRate) + 1);
  store<i32>(st, cn - 1, 204);
  store<i32>(st, an - 1, 208);
  store<i32>(st, pn - 1, 212);
  store<i32>(st, 4 * cn * 16, 240);
  store<i32>(st, 4 * cn * 16 + 4 * an * 8, 244);
  store<i32>(st, 1, 236);
}

export function reverbProcess(p: usize, buf: usize, n: i32): void {
  const st = p + P_STATE;
  const slab = load<usize>(p, P_SLAB);
  if (slab == 0) return;
  if (load<i32>(st, 236) == 0) init(st);
  const first = load<i32>(p, P_FRESH) != 0;
  if (smoothParams(p, 5, 0)) {
    store<f32>(st, param(p, 0) * SCALE_ROOM + OFFSET_ROOM, 216);
    // Freeverb's damping pole is tuned per sample at 44.1 kHz; the same time
    // constant at the engine rate keeps the lowpass's cutoff, so the tail's
    // highs die away as fast at 96 kHz as at 44.1.
    const d1 = Mathf.pow(param(p, 1) * SCALE_DAMP, <f32>44100 / sampleRate);
    store<f32>(st, d1, 220);
    store<f32>(st, 1 - d1, 224);
  }
  const fb = f32x4.splat(load<f32>(st, 216));
  const damp1 = f32x4.splat(load<f32>(st, 220)), damp2 = f32x4.splat(load<f32>(st, 224));
  const cmask = load<i32>(st, 204), amask = load<i32>(st, 208), pmask = load<i32>(st, 212);
  const apBase = slab + <usize>load<i32>(st, 240), preBase = slab + <usize>load<i32>(st, 244);
  const cstride = <usize>(cmask + 1) << 4, astride = <usize>(amask + 1) << 3;
  // The predelay line is always written, and its read point glides like the
  // delay plugin's (at most 0.4 samples per sample), so a predelay change bends
  // the reverb's input a little instead of jumping in it, and one switched on
  // reads what just came in, not what the line held when it was last used.
  const preT = Mathf.min(<f32>(pmask - 1), Mathf.round(param(p, 4) * 0.001 * sampleRate));
  let pre = first ? preT : load<f32>(st, 248);
  const kd = <f32>1 - Mathf.exp(-1 / (0.03 * sampleRate));
  const mix1 = param(p, 3), width1 = param(p, 2);
  const mix0 = first ? mix1 : load<f32>(st, 228);
  const width0 = first ? width1 : load<f32>(st, 232);
  const inv = <f32>1 / <f32>n;
  const dmix = (mix1 - mix0) * inv, dwidth = (width1 - width0) * inv;
  let mix = mix0, width = width0;
  let fs0 = v128.load(st, 0), fs1 = v128.load(st, 16), fs2 = v128.load(st, 32), fs3 = v128.load(st, 48);
  let dcx = v128.load(st, 64), dcy = v128.load(st, 80);
  const dcR = f32x4.splat(1 - 2 * Mathf.PI * 10 / sampleRate);
  let cw = load<i32>(st, 192), aw = load<i32>(st, 196), pw = load<i32>(st, 200);
  const lens = st + 96;
  const g0 = slab, g1 = slab + cstride, g2 = slab + 2 * cstride, g3 = slab + 3 * cstride;
  // (cw - len) & mask == (cw + (mask + 1 - len)) & mask: per-lane addends, per group.
  const ring = i32x4.splat(cmask + 1);
  const neg0 = i32x4.sub(ring, v128.load(lens, 0)), neg1 = i32x4.sub(ring, v128.load(lens, 16));
  const neg2 = i32x4.sub(ring, v128.load(lens, 32)), neg3 = i32x4.sub(ring, v128.load(lens, 48));
  const cmaskv = i32x4.splat(cmask);
  const laneBytes = i32x4(0, 4, 8, 12);
  for (let i = 0; i < n; i++) {
    const q = buf + (<usize>i << 4);
    const x = v128.load(q);
    v128.store64_lane(preBase + (<usize>pw << 3), x, 0);
    if (pre != preT) {
      pre += Mathf.max(<f32>-0.4, Mathf.min(<f32>0.4, (preT - pre) * kd));
      if (Mathf.abs(preT - pre) < 1e-3) pre = preT;
    }
    const pi = <i32>pre;
    let src = v128.load64_zero(preBase + (<usize>((pw - pi) & pmask) << 3));
    if (pre != <f32>pi) {
      const older = v128.load64_zero(preBase + (<usize>((pw - pi - 1) & pmask) << 3));
      src = f32x4.add(src, f32x4.mul(f32x4.sub(older, src), f32x4.splat(pre - <f32>pi)));
    }
    pw = (pw + 1) & pmask;
    const input = f32x4.splat((f32x4.extract_lane(src, 0) + f32x4.extract_lane(src, 1)) * FIXED_GAIN);
    // Combs: lane k of group g reads its own length back from the shared write
    // index. The four byte offsets of a group come from one i32x4 computation.
    const wo = <usize>cw << 4;
    const cwv = i32x4.splat(cw);
    const o0 = i32x4.add(i32x4.shl(v128.and(i32x4.add(cwv, neg0), cmaskv), 4), laneBytes);
    const o1 = i32x4.add(i32x4.shl(v128.and(i32x4.add(cwv, neg1), cmaskv), 4), laneBytes);
    const o2 = i32x4.add(i32x4.shl(v128.and(i32x4.add(cwv, neg2), cmaskv), 4), laneBytes);
    const o3 = i32x4.add(i32x4.shl(v128.and(i32x4.add(cwv, neg3), cmaskv), 4), laneBytes);
    let v0 = f32x4.splat(0), v1 = f32x4.splat(0), v2 = f32x4.splat(0), v3 = f32x4.splat(0);
    v0 = v128.load32_lane(g0 + <usize>i32x4.extract_lane(o0, 0), v0, 0);
    v0 = v128.load32_lane(g0 + <usize>i32x4.extract_lane(o0, 1), v0, 1);
    v0 = v128.load32_lane(g0 + <usize>i32x4.extract_lane(o0, 2), v0, 2);
    v0 = v128.load32_lane(g0 + <usize>i32x4.extract_lane(o0, 3), v0, 3);
    v1 = v128.load32_lane(g1 + <usize>i32x4.extract_lane(o1, 0), v1, 0);
    v1 = v128.load32_lane(g1 + <usize>i32x4.extract_lane(o1, 1), v1, 1);
    v1 = v128.load32_lane(g1 + <usize>i32x4.extract_lane(o1, 2), v1, 2);
    v1 = v128.load32_lane(g1 + <usize>i32x4.extract_lane(o1, 3), v1, 3);
    v2 = v128.load32_lane(g2 + <usize>i32x4.extract_lane(o2, 0), v2, 0);
    v2 = v128.load32_lane(g2 + <usize>i32x4.extract_lane(o2, 1), v2, 1);
    v2 = v128.load32_lane(g2 + <usize>i32x4.extract_lane(o2, 2), v2, 2);
    v2 = v128.load32_lane(g2 + <usize>i32x4.extract_lane(o2, 3), v2, 3);
    v3 = v128.load32_lane(g3 + <usize>i32x4.extract_lane(o3, 0), v3, 0);
    v3 = v128.load32_lane(g3 + <usize>i32x4.extract_lane(o3, 1), v3, 1);
    v3 = v128.load32_lane(g3 + <usize>i32x4.extract_lane(o3, 2), v3, 2);
    v3 = v128.load32_lane(g3 + <usize>i32x4.extract_lane(o3, 3), v3, 3);
    fs0 = flush(f32x4.add(f32x4.mul(v0, damp2), f32x4.mul(fs0, damp1)));
    fs1 = flush(f32x4.add(f32x4.mul(v1, damp2), f32x4.mul(fs1, damp1)));
    fs2 = flush(f32x4.add(f32x4.mul(v2, damp2), f32x4.mul(fs2, damp1)));
    fs3 = flush(f32x4.add(f32x4.mul(v3, damp2), f32x4.mul(fs3, damp1)));
    v128.store(g0 + wo, f32x4.add(input, f32x4.mul(fs0, fb)));
    v128.store(g1 + wo, f32x4.add(input, f32x4.mul(fs1, fb)));
    v128.store(g2 + wo, f32x4.add(input, f32x4.mul(fs2, fb)));
    v128.store(g3 + wo, f32x4.add(input, f32x4.mul(fs3, fb)));
    cw = (cw + 1) & cmask;
    // Horizontal sums: lane 0 = left (groups 0, 1), lane 1 = right (groups 2, 3).
    const tl = f32x4.add(v0, v1), tr = f32x4.add(v2, v3);
    const u = f32x4.add(v128.shuffle<f32>(tl, tr, 0, 1, 4, 5), v128.shuffle<f32>(tl, tr, 2, 3, 6, 7));
    // Lanes 2-3 are zeroed: the graph keeps them zero everywhere.
    let o = v128.and(f32x4.add(v128.shuffle<f32>(u, u, 0, 2, 1, 3), v128.shuffle<f32>(u, u, 1, 3, 0, 2)), LR);
    // Allpasses, L and R in lanes 0 and 1.
    for (let s = 0; s < 4; s++) {
      const ring = apBase + <usize>s * astride;
      const lenL = load<i32>(st + (<usize>s << 3), 160), lenR = load<i32>(st + (<usize>s << 3), 164);
      let b = f32x4.splat(0);
      b = v128.load32_lane(ring + (<usize>((aw - lenL) & amask) << 3), b, 0);
      b = v128.load32_lane(ring + (<usize>((aw - lenR) & amask) << 3) + 4, b, 1);
      v128.store64_lane(ring + (<usize>aw << 3), flush(f32x4.add(o, f32x4.mul(b, f32x4.splat(AP_FEEDBACK)))), 0);
      o = f32x4.sub(b, o);
    }
    aw = (aw + 1) & amask;
    // DC blocker, then width and mix.
    dcy = flush(f32x4.add(f32x4.sub(o, dcx), f32x4.mul(dcR, dcy)));
    dcx = o;
    mix += dmix;
    width += dwidth;
    const wet1 = f32x4.splat(width * 0.5 + 0.5), wet2 = f32x4.splat((1 - width) * 0.5);
    const wet = f32x4.add(f32x4.mul(dcy, wet1), f32x4.mul(v128.shuffle<f32>(dcy, dcy, 1, 0, 2, 3), wet2));
    const out = f32x4.add(x, f32x4.mul(f32x4.sub(wet, x), f32x4.splat(mix)));
    v128.store(q, out);
  }
  v128.store(st, fs0, 0);
  v128.store(st, fs1, 16);
  v128.store(st, fs2, 32);
  v128.store(st, fs3, 48);
  v128.store(st, dcx, 64);
  v128.store(st, dcy, 80);
  store<i32>(st, cw, 192);
  store<i32>(st, aw, 196);
  store<i32>(st, pw, 200);
  store<f32>(st, pre, 248);
  store<f32>(st, mix1, 228);
  store<f32>(st, width1, 232);
}
