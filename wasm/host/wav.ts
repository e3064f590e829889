import { fail, ok, outboardError, type OutboardError, type Result } from '../../src/protocol/errors.ts';

/**
 * WAV (RIFF/WAVE) reading and writing over plain bytes — no Node or DOM —
 * shared by the CLI and the browser's Export WAV. Reads 16/24/32-bit integer
 * and 32-bit float PCM, mono or stereo, plain or WAVE_FORMAT_EXTENSIBLE.
 */

/** Decoded audio: planar float channels at `sampleRate`. */
export interface DecodedWav {
  readonly sampleRate: number;
  readonly channels: Float32Array[];
  readonly bitsPerSample: number;
  readonly float: boolean;
}

/** Output sample formats: 16/24/32-bit integer or 32-bit float. */
export type WavBits = 16 | 24 | 32;

/** How interleaved sample data is laid out: a WAV file's as read, or a format to write. */
export interface PcmLayout {
  readonly channels: number;
  readonly bits: number;
  /** 32-bit float when true (bits must be 32). */
  readonly float: boolean;
}

/** What the writer needs to know. */
export interface WavFormat extends PcmLayout {
  readonly sampleRate: number;
  readonly bits: WavBits;
}

const FORMAT_PCM = 1;
const FORMAT_FLOAT = 3;
const FORMAT_EXTENSIBLE = 0xfffe;
// The KSDATAFORMAT_SUBTYPE GUID tail shared by PCM and IEEE float subformats.
const GUID_TAIL = [0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71];

const bad = (reason: string): Result<never, OutboardError> => fail(outboardError('INVALID_MESSAGE', `not a usable WAV file: ${reason}`, 'wav'));

function tag(view: DataView, at: number): string {
  return String.fromCharCode(view.getUint8(at), view.getUint8(at + 1), view.getUint8(at + 2), view.getUint8(at + 3));
}

/**
 * A checked WAV file whose samples are not decoded yet: read them in ranges
 * with {@link readWavFrames} (a long file never needs a second full copy).
 */
export interface WavData {
  readonly sampleRate: number;
  readonly channels: number;
  readonly frames: number;
  readonly bitsPerSample: number;
  readonly float: boolean;
  /** The whole file; samples start at byte `at`. */
  readonly view: DataView;
  readonly at: number;
}

/**
 * The refusal of a float WAV whose frame `frame` holds NaN or an infinity:
 * a broken file (one such sample would spread through every filter's state
 * and reverb tail), named where it is so the user can find it.
 */
export function nonFiniteSample(frame: number, sampleRate: number): OutboardError {
  return outboardError('INVALID_MESSAGE', `not a usable WAV file: the sample at ${(frame / sampleRate).toFixed(3)} s (frame ${frame}) is not a finite number (NaN or infinity)`, 'wav');
}

/** Decodes a WAV file; a malformed or unsupported one, or a float one holding NaN or infinities, is refused with the reason. */
export function decodeWav(bytes: Uint8Array): Result<DecodedWav> {
  const wav = parseWav(bytes);
  if (!wav.ok) return wav;
  const { sampleRate, channels, frames, bitsPerSample, float } = wav.value;
  const out = Array.from({ length: channels }, () => new Float32Array(frames));
  readWavFrames(wav.value, 0, frames, out);
  if (float) {
    let broken = frames;
    for (const plane of out) {
      const i = plane.findIndex((x) => !Number.isFinite(x));
      if (i >= 0 && i < broken) broken = i;
    }
    if (broken < frames) return fail(nonFiniteSample(broken, sampleRate));
  }
  return ok({ sampleRate, channels: out, bitsPerSample, float });
}

/**
 * Frames [start, start + count) of `wav` into planar `out` (one array per
 * channel, from index 0): the same samples {@link decodeWav} gives.
 */
export function readWavFrames(wav: WavData, start: number, count: number, out: readonly Float32Array[]): void {
  const align = wav.channels * (wav.bitsPerSample / 8);
  readFrames(wav.view, wav.at + start * align, count, wav.channels, wav.bitsPerSample, wav.float, out);
}

/** A data chunk's length as written by a streaming writer that could not seek back to fill it in. */
const STREAMED = 0xffffffff;

/** Checks a WAV file's header; a malformed or unsupported one is refused with the reason. */
export function parseWav(bytes: Uint8Array): Result<WavData> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.byteLength < 12) return bad('file too short for a RIFF header');
  if (tag(view, 0) === 'RF64') return bad('RF64 (files over 4 GiB) is not supported');
  if (tag(view, 0) !== 'RIFF') return bad('missing RIFF header');
  if (tag(view, 8) !== 'WAVE') return bad('RIFF type is not WAVE');
  let fmt: { format: number; channels: number; rate: number; align: number; bits: number } | null = null;
  let data: { at: number; size: number } | null = null;
  for (let at = 12; at + 8 <= bytes.byteLength; ) {
    const id = tag(view, at);
    const size = view.getUint32(at + 4, true);
    const body = at + 8;
    if (id === 'fmt ') {
      if (size < 16 || body + size > bytes.byteLength) return bad('fmt chunk too short');
      let format = view.getUint16(body, true);
      const bits = view.getUint16(body + 14, true);
      if (format === FORMAT_EXTENSIBLE) {
        if (size < 40) return bad('WAVE_FORMAT_EXTENSIBLE fmt chunk too short');
        format = view.getUint16(body + 24, true);
        for (let i = 0; i < GUID_TAIL.length; i++) {
          if (view.getUint8(body + 26 + i) !== GUID_TAIL[i]) return bad('unknown WAVE_FORMAT_EXTENSIBLE subformat');
        }
      }
      fmt = { format, channels: view.getUint16(body + 2, true), rate: view.getUint32(body + 4, true), align: view.getUint16(body + 12, true), bits };
    } else if (id === 'data') {
      // 0xFFFFFFFF: a writer that could not seek back (ffmpeg to a pipe) leaves the length unknown; the data runs to the end.
      if (size === STREAMED) {
        data = { at: body, size: bytes.byteLength - body };
        if (fmt) break;
        return bad('the data chunk runs to the end of the file, before any fmt chunk');
      }
      if (body + size > bytes.byteLength) return bad(`data chunk truncated (${size} bytes declared, ${bytes.byteLength - body} present)`);
      data = { at: body, size };
      if (fmt) break;
    }
    at = body + size + (size & 1);
  }
  if (!fmt) return bad('no fmt chunk');
  if (!data) return bad('no data chunk');
  const { format, channels, rate, align, bits } = fmt;
  if (format !== FORMAT_PCM && format !== FORMAT_FLOAT) return bad(`unsupported sample format ${format} (PCM integer or IEEE float only)`);
  if (channels < 1 || channels > 2) return bad(`${channels} channels (mono or stereo only)`);
  if (rate < 1000 || rate > 768000) return bad(`sample rate ${rate} Hz out of range`);
  const isFloat = format === FORMAT_FLOAT;
  if (isFloat ? bits !== 32 : bits !== 16 && bits !== 24 && bits !== 32) {
    return bad(`${bits}-bit ${isFloat ? 'float' : 'integer'} samples (16/24/32-bit integer or 32-bit float only)`);
  }
  if (align !== channels * (bits / 8)) return bad(`block align ${align} does not match ${channels} x ${bits}-bit`);
  const frames = Math.floor(data.size / align);
  return ok({ sampleRate: rate, channels, frames, bitsPerSample: bits, float: isFloat, view, at: data.at });
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** A typed view of `length` elements at byte `at`, copying first when unaligned. */
function aligned<T>(view: DataView, at: number, length: number, size: number, make: (b: ArrayBuffer, o: number, n: number) => T): T {
  const offset = view.byteOffset + at;
  if (offset % size === 0) return make(view.buffer as ArrayBuffer, offset, length);
  const copy = new Uint8Array(length * size);
  copy.set(new Uint8Array(view.buffer, offset, length * size));
  return make(copy.buffer, 0, length);
}

function deinterleave(src: Float32Array, out: readonly Float32Array[], frames: number, scale: number): void {
  const ch = out.length;
  for (let c = 0; c < ch; c++) {
    const dst = out[c] as Float32Array;
    for (let i = 0, j = c; i < frames; i++, j += ch) dst[i] = (src[j] as number) * scale;
  }
}

function deinterleave16(src: Int16Array, out: readonly Float32Array[], frames: number): void {
  const ch = out.length;
  for (let c = 0; c < ch; c++) {
    const dst = out[c] as Float32Array;
    for (let i = 0, j = c; i < frames; i++, j += ch) dst[i] = (src[j] as number) / 32768;
  }
}

function deinterleave32(src: Int32Array, out: readonly Float32Array[], frames: number): void {
  const ch = out.length;
  for (let c = 0; c < ch; c++) {
    const dst = out[c] as Float32Array;
    for (let i = 0, j = c; i < frames; i++, j += ch) dst[i] = (src[j] as number) / 2147483648;
  }
}

function readFrames(view: DataView, at: number, frames: number, channels: number, bits: number, isFloat: boolean, out: readonly Float32Array[]): void {
  const n = frames * channels;
  // Typed-array fast paths (little-endian hosts, i.e. all of them in practice); DataView otherwise.
  if (LITTLE_ENDIAN && bits !== 24) {
    // One monomorphic loop per source type keeps each one fast.
    if (isFloat) deinterleave(aligned(view, at, n, 4, (b, o, k) => new Float32Array(b, o, k)), out, frames, 1);
    else if (bits === 16) deinterleave16(aligned(view, at, n, 2, (b, o, k) => new Int16Array(b, o, k)), out, frames);
    else deinterleave32(aligned(view, at, n, 4, (b, o, k) => new Int32Array(b, o, k)), out, frames);
    return;
  }
  const bytes = bits / 8;
  const u8 = new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
  for (let c = 0; c < channels; c++) {
    const dst = out[c] as Float32Array;
    let p = at + c * bytes;
    const stride = channels * bytes;
    if (isFloat) for (let i = 0; i < frames; i++, p += stride) dst[i] = view.getFloat32(p, true);
    else if (bits === 16) for (let i = 0; i < frames; i++, p += stride) dst[i] = view.getInt16(p, true) / 32768;
    else if (bits === 24) {
      for (let i = 0; i < frames; i++, p += stride) {
        // Sign-extend the top byte by shifting it through the int32 sign bit.
        const v = ((u8[p] as number) | ((u8[p + 1] as number) << 8) | ((u8[p + 2] as number) << 24 >> 8));
        dst[i] = v / 8388608;
      }
    } else for (let i = 0; i < frames; i++, p += stride) dst[i] = view.getInt32(p, true) / 2147483648;
  }
}

/** Bytes per frame of a layout. */
export function frameBytes(f: PcmLayout): number {
  return f.channels * (f.bits / 8);
}

/**
 * The header for `frames` frames: RIFF, fmt (16 bytes for integer PCM; 18 plus
 * a fact chunk for float, as the spec asks), data. Write it, then the blocks.
 */
export function wavHeader(f: WavFormat, frames: number): Uint8Array {
  const isFloat = f.float && f.bits === 32;
  const fmtSize = isFloat ? 18 : 16;
  const extra = isFloat ? 12 : 0; // fact chunk
  const dataBytes = frames * frameBytes(f);
  const header = new Uint8Array(12 + 8 + fmtSize + extra + 8);
  const v = new DataView(header.buffer);
  const put = (at: number, s: string) => { for (let i = 0; i < 4; i++) v.setUint8(at + i, s.charCodeAt(i)); };
  put(0, 'RIFF');
  v.setUint32(4, header.length - 8 + dataBytes + (dataBytes & 1), true);
  put(8, 'WAVE');
  put(12, 'fmt ');
  v.setUint32(16, fmtSize, true);
  v.setUint16(20, isFloat ? FORMAT_FLOAT : FORMAT_PCM, true);
  v.setUint16(22, f.channels, true);
  v.setUint32(24, f.sampleRate, true);
  v.setUint32(28, f.sampleRate * frameBytes(f), true);
  v.setUint16(32, frameBytes(f), true);
  v.setUint16(34, f.bits, true);
  let at = 36;
  if (isFloat) {
    v.setUint16(36, 0, true);
    put(38, 'fact');
    v.setUint32(42, 4, true);
    v.setUint32(46, frames, true);
    at = 50;
  }
  put(at, 'data');
  v.setUint32(at + 4, dataBytes, true);
  return header;
}

/**
 * Encodes frames [start, start + count) of planar `channels` as interleaved
 * samples. Reuses `into` when it is large enough, so a streaming writer
 * needs one buffer for the whole file.
 */
export function encodeWavFrames(f: WavFormat, channels: readonly Float32Array[], start: number, count: number, into?: Uint8Array): Uint8Array {
  const size = count * frameBytes(f);
  const out = into && into.byteLength >= size && into.byteOffset % 4 === 0 ? into.subarray(0, size) : new Uint8Array(size);
  const ch = f.channels;
  const isFloat = f.float && f.bits === 32;
  if (LITTLE_ENDIAN && f.bits !== 24) {
    // Typed-array fast paths: one interleaving loop per channel.
    const n = count * ch;
    const dst = isFloat ? new Float32Array(out.buffer, out.byteOffset, n)
      : f.bits === 16 ? new Int16Array(out.buffer, out.byteOffset, n) : new Int32Array(out.buffer, out.byteOffset, n);
    const full = f.bits === 16 ? 32768 : 2147483648;
    for (let c = 0; c < ch; c++) {
      const src = (channels[c] ?? channels[0]) as Float32Array;
      if (isFloat) for (let i = 0, j = c; i < count; i++, j += ch) dst[j] = src[start + i] ?? 0;
      else for (let i = 0, j = c; i < count; i++, j += ch) dst[j] = quantize(src[start + i] ?? 0, full);
    }
    return out;
  }
  const v = new DataView(out.buffer, out.byteOffset, out.byteLength);
  const bytes = f.bits / 8;
  const stride = frameBytes(f);
  for (let c = 0; c < ch; c++) {
    const src = (channels[c] ?? channels[0]) as Float32Array;
    let p = c * bytes;
    const end = start + count;
    if (isFloat) for (let i = start; i < end; i++, p += stride) v.setFloat32(p, src[i] ?? 0, true);
    else if (f.bits === 16) for (let i = start; i < end; i++, p += stride) v.setInt16(p, quantize(src[i] ?? 0, 32768), true);
    else if (f.bits === 24) {
      for (let i = start; i < end; i++, p += stride) {
        const s = quantize(src[i] ?? 0, 8388608);
        out[p] = s & 255;
        out[p + 1] = (s >> 8) & 255;
        out[p + 2] = (s >> 16) & 255;
      }
    } else for (let i = start; i < end; i++, p += stride) v.setInt32(p, quantize(src[i] ?? 0, 2147483648), true);
  }
  return out;
}

/**
 * x times 2^(n-1) (`full`), rounded and clipped to [-full, full - 1]: the
 * inverse of the reader's / 2^(n-1), so integer samples that pass through
 * unchanged are written back bit for bit (sox's convention).
 */
function quantize(x: number, full: number): number {
  // NaN becomes 0 rather than poisoning the integer.
  const s = Math.round(x * full) || 0;
  return s > full - 1 ? full - 1 : s < -full ? -full : s;
}

/** A whole file in one buffer (short audio; long renders stream with {@link wavHeader} + {@link encodeWavFrames}). */
export function encodeWav(f: WavFormat, channels: readonly Float32Array[]): Uint8Array {
  const frames = channels[0]?.length ?? 0;
  const header = wavHeader(f, frames);
  const out = new Uint8Array(header.length + frames * frameBytes(f) + ((frames * frameBytes(f)) & 1));
  out.set(header);
  out.set(encodeWavFrames(f, channels, 0, frames), header.length);
  return out;
}
