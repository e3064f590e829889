/** Frames per encoded chunk: one second at 48 kHz keeps every allocation small. */
export const CHUNK_FRAMES = 48_000;

/**
 * Encodes rendered audio as a 32-bit float WAV, one chunk of frames at a
 * time: each chunk is interleaved into its own small buffer and becomes a
 * Blob part, so a long export never needs one WAV-sized allocation (the
 * browser may page Blob parts to disk).
 */
export function encodeWavBlob(buffer: AudioBuffer): Blob {
  const channels = Array.from({ length: buffer.numberOfChannels }, (_, c) => buffer.getChannelData(c));
  const parts: BlobPart[] = [wavHeader(buffer.length, channels.length, buffer.sampleRate)];
  for (let start = 0; start < buffer.length; start += CHUNK_FRAMES) {
    const end = Math.min(buffer.length, start + CHUNK_FRAMES);
    const chunk = new Float32Array((end - start) * channels.length);
    for (let c = 0; c < channels.length; c++) {
      const src = channels[c]!;
      for (let i = start, o = c; i < end; i++, o += channels.length) chunk[o] = src[i]!;
    }
    parts.push(chunk.buffer);
  }
  return new Blob(parts, { type: 'audio/wav' });
}

/** A 44-byte header for IEEE float PCM (format 3). */
function wavHeader(frames: number, channels: number, rate: number): ArrayBuffer {
  const dataBytes = frames * channels * 4;
  const h = new DataView(new ArrayBuffer(44));
  const ascii = (at: number, s: string) => { for (let i = 0; i < 4; i++) h.setUint8(at + i, s.charCodeAt(i)); };
  ascii(0, 'RIFF');
  h.setUint32(4, 36 + dataBytes, true);
  ascii(8, 'WAVE');
  ascii(12, 'fmt ');
  h.setUint32(16, 16, true);
  h.setUint16(20, 3, true);
  h.setUint16(22, channels, true);
  h.setUint32(24, rate, true);
  h.setUint32(28, rate * channels * 4, true);
  h.setUint16(32, channels * 4, true);
  h.setUint16(34, 32, true);
  ascii(36, 'data');
  h.setUint32(40, dataBytes, true);
  return h.buffer;
}
