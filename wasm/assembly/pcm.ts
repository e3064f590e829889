// WAV sample data <-> the offline staging planes, inside the engine, so the
// CLI moves only raw bytes across: a chunk of the file is copied in, decoded
// here, rendered, encoded here and written out from wasm memory.
// WASM CONTRACT: every value is the one wasm/host/wav.ts gives (readWavFrames,
// encodeWavFrames): the same arithmetic, in f64 where it works in f64, so
// `outboard process` writes the same bytes as the whole-file JS path.

/**
 * Interleaved 16/24/32-bit integer or 32-bit float samples at `src` into
 * planes `l`, `r` (mono: both get it). Returns the first frame holding a
 * float sample that is not a finite number (NaN, infinity), or -1: such a
 * file is broken, and one NaN would spread through every filter's state.
 */
export function pcmDecode(src: usize, l: usize, r: usize, frames: i32, channels: i32, bits: i32, isFloat: bool): i32 {
  // One loop per format (the inlined constants fold the per-sample branches away).
  if (isFloat) return decodeAs(src, l, r, 0, frames, channels, 32, true);
  if (bits == 16 && channels == 2) return decode16Stereo(src, l, r, frames);
  if (bits == 16) return decodeAs(src, l, r, 0, frames, channels, 16, false);
  if (bits == 24) return decodeAs(src, l, r, 0, frames, channels, 24, false);
  return decodeAs(src, l, r, 0, frames, channels, 32, false);
}

// @ts-ignore: decorator
@inline function decodeAs(src: usize, l: usize, r: usize, from: i32, frames: i32, channels: i32, bits: i32, isFloat: bool): i32 {
  const bytes = <usize>(bits >> 3), stride = bytes * <usize>channels;
  const right = channels > 1 ? bytes : 0;
  let broken = -1;
  for (let i = from; i < frames; i++) {
    const p = src + <usize>i * stride, o = <usize>i << 2;
    const a = sample(p, bits, isFloat), b = sample(p + right, bits, isFloat);
    store<f32>(l + o, a);
    store<f32>(r + o, b);
    // x - x is 0 for every finite x and NaN for NaN and the infinities. Integers are always finite.
    if (isFloat && broken < 0 && (a - a != 0 || b - b != 0)) broken = i;
  }
  return broken;
}

/** The common case, four frames per step: widen, convert, scale (exact: a power of two), split the channels. */
function decode16Stereo(src: usize, l: usize, r: usize, frames: i32): i32 {
  const scale = f32x4.splat(1.0 / 32768);
  let i = 0;
  for (; i + 4 <= frames; i += 4) {
    const v = v128.load(src + (<usize>i << 2));
    const a = f32x4.mul(f32x4.convert_i32x4_s(i32x4.extend_low_i16x8_s(v)), scale);
    const b = f32x4.mul(f32x4.convert_i32x4_s(i32x4.extend_high_i16x8_s(v)), scale);
    v128.store(l + (<usize>i << 2), v128.shuffle<f32>(a, b, 0, 2, 4, 6));
    v128.store(r + (<usize>i << 2), v128.shuffle<f32>(a, b, 1, 3, 5, 7));
  }
  return decodeAs(src, l, r, i, frames, 2, 16, false);
}

// @ts-ignore: decorator
@inline function sample(p: usize, bits: i32, isFloat: bool): f32 {
  if (isFloat) return load<f32>(p);
  if (bits == 16) return <f32>load<i16>(p) / 32768;
  if (bits == 24) {
    // Sign-extend the top byte by shifting it through the int32 sign bit.
    const v = <i32>load<u8>(p) | (<i32>load<u8>(p, 1) << 8) | ((<i32>load<u8>(p, 2) << 24) >> 8);
    return <f32>v / 8388608;
  }
  return <f32>(<f64>load<i32>(p) / 2147483648.0);
}

/**
 * Planes `l`, `r` to interleaved samples at `dst`; mono output is the
 * average of the two, computed in f64 and stored as f32 first (as the CLI
 * always did).
 */
export function pcmEncode(l: usize, r: usize, dst: usize, frames: i32, channels: i32, bits: i32, isFloat: bool): void {
  if (isFloat && channels == 2) encodeFloatStereo(l, r, dst, frames);
  else if (isFloat) encodeAs(l, r, dst, 0, frames, channels, 32, true);
  else if (bits == 16) encodeAs(l, r, dst, 0, frames, channels, 16, false);
  else if (bits == 24) encodeAs(l, r, dst, 0, frames, channels, 24, false);
  else encodeAs(l, r, dst, 0, frames, channels, 32, false);
}

// @ts-ignore: decorator
@inline function encodeAs(l: usize, r: usize, dst: usize, from: i32, frames: i32, channels: i32, bits: i32, isFloat: bool): void {
  const bytes = <usize>(bits >> 3), stride = bytes * <usize>channels;
  for (let i = from; i < frames; i++) {
    const p = dst + <usize>i * stride, o = <usize>i << 2;
    const a = load<f32>(l + o), b = load<f32>(r + o);
    if (channels == 1) {
      put(p, <f32>((<f64>a + <f64>b) * 0.5), bits, isFloat);
    } else {
      put(p, a, bits, isFloat);
      put(p + bytes, b, bits, isFloat);
    }
  }
}

/** The default output (32-bit float, stereo), four frames per step: the planes interleaved bit for bit. */
function encodeFloatStereo(l: usize, r: usize, dst: usize, frames: i32): void {
  let i = 0;
  for (; i + 4 <= frames; i += 4) {
    const a = v128.load(l + (<usize>i << 2)), b = v128.load(r + (<usize>i << 2));
    v128.store(dst + (<usize>i << 3), v128.shuffle<f32>(a, b, 0, 4, 1, 5));
    v128.store(dst + (<usize>i << 3), v128.shuffle<f32>(a, b, 2, 6, 3, 7), 16);
  }
  encodeAs(l, r, dst, i, frames, 2, 32, true);
}

// @ts-ignore: decorator
@inline function put(p: usize, x: f32, bits: i32, isFloat: bool): void {
  if (isFloat) store<f32>(p, x);
  else if (bits == 16) store<i16>(p, <i16>quantize(x, 32768));
  else if (bits == 24) {
    const s = quantize(x, 8388608);
    store<u8>(p, <u8>s);
    store<u8>(p, <u8>(s >> 8), 1);
    store<u8>(p, <u8>(s >> 16), 2);
  } else store<i32>(p, quantize(x, 2147483648));
}

/** JavaScript's Math.round(x * full) (halves toward +infinity), NaN to 0, clamped to [-full, full - 1] (full = 2^(n-1)). */
function quantize(x: f32, full: f64): i32 {
  const v = <f64>x * full;
  let s = Math.floor(v);
  if (v - s >= 0.5) s += 1;
  if (s != s) return 0;
  return <i32>(s > full - 1 ? full - 1 : s < -full ? -full : s);
}
