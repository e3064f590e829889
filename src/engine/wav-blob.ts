import { encodeWavFrames, wavHeader, type WavFormat } from '../../wasm/host/wav.ts';

/** Frames per encoded chunk: one second at 48 kHz keeps every allocation small. */
export const CHUNK_FRAMES = 48_000;

/**
 * Encodes rendered audio as a 32-bit float WAV with the engine's chunked
 * writer (`wavHeader` + `encodeWavFrames`): each chunk of frames is
 * interleaved into its own small buffer and becomes a Blob part, so a long
 * export never needs one WAV-sized allocation (the browser may page Blob
 * parts to disk).
 */
export function encodeWavBlob(buffer: AudioBuffer): Blob {
  const channels = Array.from({ length: buffer.numberOfChannels }, (_, c) => buffer.getChannelData(c));
  const format: WavFormat = { sampleRate: buffer.sampleRate, channels: channels.length, bits: 32, float: true };
  const parts: BlobPart[] = [wavHeader(format, buffer.length) as Uint8Array<ArrayBuffer>];
  for (let start = 0; start < buffer.length; start += CHUNK_FRAMES) {
    const count = Math.min(CHUNK_FRAMES, buffer.length - start);
    parts.push(encodeWavFrames(format, channels, start, count) as Uint8Array<ArrayBuffer>);
  }
  return new Blob(parts, { type: 'audio/wav' });
}
