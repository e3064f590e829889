import type { EngineChange } from '../model/changes.ts';
import type { SessionDocument } from '../protocol/session.ts';
import type { Decibels, Hertz, MidiNote, Seconds } from '../protocol/units.ts';

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
  /** The output device the context plays on ('' = the system default). */
  readonly outputDevice: string;
}

/**
 * The main-thread audio engine as the UI sees it (implemented in
 * `audio-engine.ts`). It is a projection of the session: the UI never drives
 * DSP directly; the session controller hands the engine the changes of each
 * applied op (model/changes.ts), and a compiled document on load.
 */
export interface AudioEngineApi {
  /** Resumes (or creates) the AudioContext; call from a user gesture. */
  resume(): Promise<void>;
  /**
   * Starts the transport: patterns play, files loop. `from`, asked at the
   * moment the start is written, is where to start (seconds from the shared
   * transport's start): a host joining a session that plays starts in step.
   */
  play(from?: () => Seconds): Promise<void>;
  /** Stops the transport (voices release, file players rewind). */
  stop(): void;
  readonly playing: boolean;
  /** The engine changes of one applied op (`changesOf`), local or remote. */
  applyChanges(changes: readonly EngineChange[]): void;
  /** A whole document (`compileDocument`): on load, resync, snapshot or rollback; only what differs is sent. */
  loadDocument(compiled: readonly EngineChange[]): void;
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

  // Optional extensions (AudioEngine implements them all; a stand-in engine may not).

  /** Load, overruns and ring latency from the worklet's status block (the performance panel). */
  stats?(): EngineStats;
  /** Listens to every MIDI keyboard; notes play `trackId` (default: the first instrument track). */
  enableMidi?(trackId?: string): Promise<MidiStatus>;
  /** Raw MIDI messages, for MIDI learn; returns the remover. */
  onMidiMessage?(listener: (data: Uint8Array, input: string) => void): () => void;
  /** On-screen keys: a note on an instrument track. */
  noteOn?(trackId: string, note: MidiNote, velocity?: number): void;
  noteOff?(trackId: string, note: MidiNote): void;
  /** Live input (getUserMedia, voice processing off); Play opens it by itself when a track needs it. */
  openInput?(deviceId?: string): Promise<void>;
  closeInput?(): void;
  /** Plays on output device `id` ('' = the system default); rejects where the browser cannot. */
  setOutputDevice?(id: string): Promise<void>;
  /** The pattern step the engine is on (0..15), null when stopped: read from the status block, for the playhead. */
  step?(): number | null;
  /** Moves the playing transport to `position` (seconds from the shared transport's start). */
  seek?(position: Seconds): void;
  /** Resolves once every graph change so far has reached the engine (they are asynchronous). */
  settled?(): Promise<void>;
}

/** Engine figures for the performance panel, from the worklet's status block. */
export interface EngineStats {
  /** Mean share of the render budget over the last second (measured in the worklet), and the highest such mean. */
  readonly load: number;
  readonly loadPeak: number;
  /** Render quanta completed. */
  readonly quanta: number;
  /** Quanta whose measured time exceeded the budget. */
  readonly overruns: number;
  /** Quanta between a write into the UI -> audio ring and its application in the worklet: the last one, the worst one (values riding the command stream behind graph commands are not counted). */
  readonly paramLatency: { readonly last: number; readonly worst: number };
  /** Events applied from the UI -> audio ring. */
  readonly applied: number;
}

/** What enabling MIDI found. */
export interface MidiStatus {
  readonly available: boolean;
  /** Names of the connected inputs. */
  readonly inputs: readonly string[];
  /** Why MIDI is unavailable (no Web MIDI, permission refused). */
  readonly reason?: string;
}
