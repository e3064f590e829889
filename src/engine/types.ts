import type { SessionDocument } from '../protocol/session.ts';
import type { Decibels, Hertz, Seconds } from '../protocol/units.ts';

/** Levels of one track (or the master bus) in dBFS, read from shared memory. */
export interface TrackLevel {
  readonly peak: Decibels;
  readonly rms: Decibels;
}

/** What the UI may know of the audio device. */
export interface AudioDeviceInfo {
  readonly sampleRate: Hertz;
  /** Output latency in seconds, as the browser reports it. */
  readonly outputLatency: Seconds;
  /** Base latency of the context in seconds. */
  readonly baseLatency: Seconds;
  /** `running`, `suspended`, `interrupted` (iOS) or `closed`. */
  readonly state: string;
  /** True when parameters and meters travel through SharedArrayBuffer rather than port messages. */
  readonly sharedMemory: boolean;
}

/**
 * The main-thread audio engine as the UI sees it (implemented in
 * `audio-engine.ts`). It is a projection of the session document: the UI
 * never drives DSP directly, it hands the engine each new document.
 */
export interface AudioEngineApi {
  /** Resumes (or creates) the AudioContext; call from a user gesture. */
  resume(): Promise<void>;
  /** Starts the transport: patterns play, files loop. */
  play(): Promise<void>;
  /** Stops the transport (voices release, file players rewind). */
  stop(): void;
  readonly playing: boolean;
  /** Projects a new session document onto the engine (diffs against the previous one). */
  setDocument(doc: SessionDocument): void;
  /** Hands decoded audio for a file source (`source.sample_id`) to the engine. */
  setSample(sampleId: string, channels: Float32Array[], sampleRate: Hertz): Promise<void>;
  /** Decodes an encoded audio file (wav, mp3, ...) with the context's decoder. */
  decode(bytes: ArrayBuffer): Promise<{ channels: Float32Array[]; sampleRate: Hertz }>;
  /** Levels per track id (and `master`), read on requestAnimationFrame. */
  levels(): ReadonlyMap<string, TrackLevel>;
  /** Engine load: the share of the render-quantum budget used, 0..1 (measured in the worklet). */
  readonly load: number;
  info(): AudioDeviceInfo;
  /** Renders the document offline with the same worklet and encodes a WAV. */
  exportWav(doc: SessionDocument, seconds: Seconds, onProgress?: (fraction: number) => void): Promise<Blob>;
}
