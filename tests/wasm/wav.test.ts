import { describe, expect, it } from 'vitest';
import { decodeWav, encodeWav, encodeWavFrames, parseWav, readWavFrames, wavHeader, type WavBits } from '../../wasm/host/index.ts';

const sine = (n: number, f: number) => Float32Array.from({ length: n }, (_, i) => 0.9 * Math.sin(i * f));

function reason(bytes: Uint8Array): string {
  const r = decodeWav(bytes);
  if (r.ok) throw new Error('expected a refusal');
  expect(r.error.code).toBe('INVALID_MESSAGE');
  return r.error.message;
}

/** A hand-built WAVE_FORMAT_EXTENSIBLE file (what many DAWs write for 24-bit and float). */
function extensible(bits: number, subformat: number, samples: number[], channels = 1): Uint8Array {
  const data = bits / 8 * samples.length;
  const out = new Uint8Array(12 + 8 + 40 + 8 + data);
  const v = new DataView(out.buffer);
  const put = (at: number, s: string) => { for (let i = 0; i < 4; i++) v.setUint8(at + i, s.charCodeAt(i)); };
  put(0, 'RIFF'); v.setUint32(4, out.length - 8, true); put(8, 'WAVE');
  put(12, 'fmt '); v.setUint32(16, 40, true);
  v.setUint16(20, 0xfffe, true); v.setUint16(22, channels, true); v.setUint32(24, 44100, true);
  v.setUint32(28, 44100 * channels * bits / 8, true); v.setUint16(32, channels * bits / 8, true); v.setUint16(34, bits, true);
  v.setUint16(36, 22, true); v.setUint16(38, bits, true); v.setUint32(40, channels === 2 ? 3 : 4, true);
  v.setUint16(44, subformat, true);
  [0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71].forEach((b, i) => v.setUint8(46 + i, b));
  put(60, 'data'); v.setUint32(64, data, true);
  samples.forEach((s, i) => {
    const at = 68 + i * bits / 8;
    if (subformat === 3) v.setFloat32(at, s, true);
    else { const q = Math.round(s * 8388607); v.setUint8(at, q & 255); v.setUint8(at + 1, (q >> 8) & 255); v.setInt8(at + 2, q >> 16); }
  });
  return out;
}

describe('WAV codec', () => {
  // Integers are read / 2^(n-1) and written x 2^(n-1): within half a step.
  for (const [bits, float, tolerance] of [[16, false, 2 / 32768], [24, false, 2 / 8388608], [32, false, 1e-9], [32, true, 0]] as const) {
    for (const channels of [1, 2]) {
      it(`round-trips ${bits}-bit ${float ? 'float' : 'integer'} ${channels === 1 ? 'mono' : 'stereo'}`, () => {
        const planes = Array.from({ length: channels }, (_, c) => sine(1001, 0.01 * (c + 1)));
        const bytes = encodeWav({ sampleRate: 44100, channels, bits: bits as WavBits, float }, planes);
        const back = decodeWav(bytes);
        if (!back.ok) throw new Error(back.error.message);
        expect(back.value.sampleRate).toBe(44100);
        expect(back.value.channels.length).toBe(channels);
        expect(back.value.bitsPerSample).toBe(bits);
        expect(back.value.float).toBe(float);
        planes.forEach((p, c) => p.forEach((v, i) => expect(Math.abs((back.value.channels[c]?.[i] ?? NaN) - v)).toBeLessThanOrEqual(tolerance + 1e-7)));
      });
    }
  }

  it('reads WAVE_FORMAT_EXTENSIBLE 24-bit integer and 32-bit float', () => {
    const pcm = decodeWav(extensible(24, 1, [0.5, -0.25, 0]));
    const flt = decodeWav(extensible(32, 3, [0.5, -0.25, 1.5]));
    if (!pcm.ok || !flt.ok) throw new Error('refused');
    expect(Array.from(pcm.value.channels[0] ?? [])).toEqual([expect.closeTo(0.5, 6), expect.closeTo(-0.25, 6), 0]);
    expect(Array.from(flt.value.channels[0] ?? [])).toEqual([0.5, -0.25, 1.5]);
  });

  it('writes integer samples it read back bit for bit, full scale included (read / 2^(n-1), written x 2^(n-1))', () => {
    for (const bits of [16, 24, 32] as const) {
      const full = 2 ** (bits - 1);
      const ints = [-full, -full + 1, -12345, -1, 0, 1, 4321, full - 2, full - 1];
      const f = { sampleRate: 44100, channels: 1, bits, float: false };
      const bytes = encodeWav(f, [Float32Array.from(ints, (n) => n / full)]);
      const back = decodeWav(bytes);
      if (!back.ok) throw new Error(back.error.message);
      expect(Buffer.from(encodeWav(f, back.value.channels)).equals(Buffer.from(bytes)), `${bits}-bit`).toBe(true);
      if (bits !== 32) expect(Array.from(back.value.channels[0] ?? [], (x) => Math.round(x * full)), `${bits}-bit`).toEqual(ints);
    }
  });

  it('clips out-of-range samples when writing integers instead of wrapping', () => {
    const back = decodeWav(encodeWav({ sampleRate: 8000, channels: 1, bits: 16, float: false }, [Float32Array.from([2, -2, NaN])]));
    if (!back.ok) throw new Error('refused');
    expect(Array.from(back.value.channels[0] ?? [])).toEqual([32767 / 32768, -1, 0]);
  });

  it('streams: header first, then blocks, equals the one-shot file', () => {
    const f = { sampleRate: 48000, channels: 2, bits: 24 as const, float: false };
    const planes = [sine(1000, 0.02), sine(1000, 0.03)];
    const parts = [wavHeader(f, 1000)];
    let scratch: Uint8Array | undefined;
    for (let s = 0; s < 1000; s += 300) {
      scratch = encodeWavFrames(f, planes, s, Math.min(300, 1000 - s), scratch);
      parts.push(scratch.slice());
    }
    expect(Buffer.concat(parts).equals(Buffer.from(encodeWav(f, planes)))).toBe(true);
  });

  it('reads any range of frames without decoding the rest: the same samples as the whole file', () => {
    for (const [bits, float] of [[16, false], [24, false], [32, false], [32, true]] as const) {
      for (const channels of [1, 2]) {
        const planes = Array.from({ length: channels }, (_, c) => sine(1001, 0.013 * (c + 1)));
        const bytes = encodeWav({ sampleRate: 44100, channels, bits, float }, planes);
        const whole = decodeWav(bytes);
        const wav = parseWav(bytes);
        if (!whole.ok || !wav.ok) throw new Error('expected a usable file');
        expect([wav.value.frames, wav.value.channels, wav.value.bitsPerSample, wav.value.float]).toEqual([1001, channels, bits, float]);
        for (const [start, count] of [[0, 128], [128, 128], [999, 2], [300, 1]] as const) {
          const out = Array.from({ length: channels }, () => new Float32Array(count));
          readWavFrames(wav.value, start, count, out);
          out.forEach((o, c) => expect(o).toEqual((whole.value.channels[c] as Float32Array).subarray(start, start + count)));
        }
      }
    }
  });

  it('reads a data chunk of unknown length (0xFFFFFFFF, as ffmpeg writes to a pipe) to the end of the file', () => {
    const f = { sampleRate: 44100, channels: 2, bits: 16 as const, float: false };
    const good = encodeWav(f, [sine(300, 0.1), sine(300, 0.2)]);
    const streamed = good.slice();
    new DataView(streamed.buffer).setUint32(4, 0xffffffff, true);
    new DataView(streamed.buffer).setUint32(40, 0xffffffff, true);
    const a = decodeWav(good), b = decodeWav(streamed);
    if (!a.ok || !b.ok) throw new Error('refused');
    expect(b.value.channels).toEqual(a.value.channels);
    // A half frame at the end (the writer was cut mid-frame) is dropped.
    const cut = decodeWav(streamed.subarray(0, streamed.length - 1));
    expect(cut.ok && cut.value.channels[0]?.length).toBe(299);
  });

  it('refuses malformed files, naming the reason', () => {
    const good = encodeWav({ sampleRate: 48000, channels: 2, bits: 16, float: false }, [sine(100, 0.1), sine(100, 0.2)]);
    expect(reason(new Uint8Array(8))).toMatch(/too short/);
    expect(reason(new TextEncoder().encode('ID3 this is an mp3 really'))).toMatch(/RIFF/);
    const notWave = good.slice(); notWave.set(new TextEncoder().encode('AVI '), 8);
    expect(reason(notWave)).toMatch(/not WAVE/);
    expect(reason(good.subarray(0, good.length - 10))).toMatch(/truncated/);
    const eightBit = good.slice(); new DataView(eightBit.buffer).setUint16(34, 8, true);
    expect(reason(eightBit)).toMatch(/8-bit/);
    const surround = good.slice(); new DataView(surround.buffer).setUint16(22, 6, true);
    expect(reason(surround)).toMatch(/6 channels/);
    const adpcm = good.slice(); new DataView(adpcm.buffer).setUint16(20, 2, true);
    expect(reason(adpcm)).toMatch(/sample format 2/);
    const badAlign = good.slice(); new DataView(badAlign.buffer).setUint16(32, 3, true);
    expect(reason(badAlign)).toMatch(/block align/);
    expect(reason(good.subarray(0, 36))).toMatch(/no data chunk/);
    const weirdGuid = extensible(24, 1, [0]); weirdGuid[50] = 0x42;
    expect(reason(weirdGuid)).toMatch(/subformat/);
  });

  it('refuses a float file holding NaN or an infinity, naming the first frame and its time', () => {
    const l = sine(100, 0.1), r = sine(100, 0.2);
    r[40] = Infinity;
    l[60] = NaN;
    expect(reason(encodeWav({ sampleRate: 8000, channels: 2, bits: 32, float: true }, [l, r])))
      .toBe('not a usable WAV file: the sample at 0.005 s (frame 40) is not a finite number (NaN or infinity)');
  });
});
