import { transfer } from 'comlink';
import type { EngineChange } from '../model/changes.ts';
import type { SessionDocument } from '../protocol/session.ts';
import type { Hertz, MidiNote, Seconds } from '../protocol/units.ts';
import type { ProcessorStatus } from '../../worklets/shared/rpc.ts';
import { EventKind, eventKey } from '../../worklets/shared/event-keys.ts';
import type { AudioDeviceInfo, AudioEngineApi, EngineStats, MidiStatus, TrackLevel } from './types.ts';
import { ContextKeeper, createAudioContext, PREFERRED_RATE } from './context.ts';
import { currentOutput, setOutput } from './output-device.ts';
import type { WasmTransport } from './engine-node.ts';
import { linkEngine, type EngineLink } from './engine-link.ts';
import { EngineFeed } from './engine-feed.ts';
import { readLevels } from './levels.ts';
import { MidiInput, type NoteEvent } from './midi.ts';
import { LiveInput } from './live-input.ts';
import { renderOffline, type SampleData } from './offline-render.ts';
import { encodeWavBlob } from './wav-blob.ts';

/** How to build an engine; every field has a default for the app. */
export interface AudioEngineOptions {
  /** URL of the bundled worklet module (default: the Vite-built one). */
  readonly workletUrl?: string;
  /** URL of engine.wasm (default: the Vite-built one). */
  readonly wasmUrl?: string;
  /** A context to use instead of a new 48 kHz interactive one. */
  readonly context?: AudioContext;
  /** False forces the port fallback even where SharedArrayBuffer is available. */
  readonly sharedMemory?: boolean;
  /** How engine.wasm reaches the worklet (default: module, then bytes). */
  readonly wasmTransport?: WasmTransport;
}

/**
 * The main-thread audio engine (SPEC §2 `engine/`): owns the AudioContext,
 * the engine's AudioWorkletNode and the channels to it, and feeds it the
 * engine changes of each applied op (or a compiled document on load).
 */
export class AudioEngine implements AudioEngineApi {
  private readonly ctx: AudioContext;
  private readonly keeper: ContextKeeper;
  private readonly link: EngineLink;
  private readonly feed: EngineFeed;
  private readonly samples = new Map<string, SampleData>();
  private readonly midi: MidiInput;
  private midiTrack: string | undefined;
  private liveInput: LiveInput | undefined;
  private pump = 0;
  private isPlaying = false;

  private constructor(ctx: AudioContext, link: EngineLink) {
    this.ctx = ctx;
    this.link = link;
    this.keeper = new ContextKeeper(ctx);
    const limits = link.status.limits;
    if (!limits) throw new Error('engine processor: ready without its limits');
    this.feed = new EngineFeed(link.rpc, limits, link.fallback ? undefined : link.writer);
    this.midi = new MidiInput((e) => this.onMidiNote(e));
    link.node.connect(ctx.destination);
    this.startPump();
  }

  /**
   * Builds the engine: creates (or adopts) the AudioContext, loads the
   * worklet and engine.wasm, and waits until the engine runs in the worklet.
   * Shared memory is used when the page is cross-origin isolated.
   */
  static async create(options: AudioEngineOptions = {}): Promise<AudioEngine> {
    const { workletUrl, wasmUrl } = await assetUrls(options);
    const ctx = options.context ?? createAudioContext();
    const shared = options.sharedMemory !== false && globalThis.crossOriginIsolated === true
      && typeof SharedArrayBuffer !== 'undefined';
    const link = await linkEngine(ctx, { workletUrl, wasmUrl, shared, transport: options.wasmTransport ?? 'auto' });
    return new AudioEngine(ctx, link);
  }

  /** The AudioContext (for connecting other nodes, e.g. a metronome). */
  get context(): AudioContext {
    return this.ctx;
  }

  get playing(): boolean {
    return this.isPlaying;
  }

  /** Engine load: mean share of the render budget, measured in the worklet. */
  get load(): number {
    return this.link.block.load();
  }

  async resume(): Promise<void> {
    await this.keeper.want();
  }

  async play(from?: () => Seconds): Promise<void> {
    await this.resume();
    if (this.feed.graph.hasSource('input') && !this.liveInput) await this.openInput().catch(() => undefined);
    await this.feed.settled().catch(() => undefined);
    // The position first, in the same drain: the transport never plays a quantum from 0 before it.
    if (from) this.link.writer.write(eventKey(EventKind.seek, 0, 0, 0), from());
    this.link.writer.write(eventKey(EventKind.transport, 0, 0, 0), 1);
    this.isPlaying = true;
  }

  stop(): void {
    this.link.writer.write(eventKey(EventKind.transport, 0, 0, 0), 0);
    this.isPlaying = false;
  }

  seek(position: Seconds): void {
    this.link.writer.write(eventKey(EventKind.seek, 0, 0, 0), position);
  }

  applyChanges(changes: readonly EngineChange[]): void {
    this.feed.apply(changes);
  }

  loadDocument(compiled: readonly EngineChange[]): void {
    this.feed.load(compiled);
  }

  /** Resolves once every graph command sent so far has run in the worklet. */
  settled(): Promise<void> {
    return this.feed.settled();
  }

  async setSample(sampleId: string, channels: Float32Array[], sampleRate: Hertz): Promise<void> {
    this.samples.set(sampleId, { channels, sampleRate });
    // Copy here and transfer the copies: the worklet receives them without a
    // structured-clone copy on the audio thread (the caller's arrays stay
    // usable, and are kept for exports).
    const copies = channels.map((c) => c.slice());
    await this.link.rpc.setSample(sampleId, transfer(copies, copies.map((c) => c.buffer)), sampleRate);
  }

  async decode(bytes: ArrayBuffer): Promise<{ channels: Float32Array[]; sampleRate: Hertz }> {
    // decodeAudioData detaches its argument; decode a copy so the caller's bytes stay usable.
    const buffer = await this.ctx.decodeAudioData(bytes.slice(0));
    const channels = Array.from({ length: buffer.numberOfChannels }, (_, c) => buffer.getChannelData(c).slice());
    return { channels, sampleRate: buffer.sampleRate };
  }

  levels(): ReadonlyMap<string, TrackLevel> {
    return readLevels(this.link.block, this.feed.graph);
  }

  /** The pattern step the engine is on after its last render quantum; null when stopped. */
  step(): number | null {
    const step = this.link.block.step();
    return step < 0 ? null : step;
  }

  /** Load, latency and counters from the worklet's status block. */
  stats(): EngineStats {
    const counts = this.link.block.counts();
    return {
      load: this.link.block.load(), loadPeak: this.link.block.loadPeak(), quanta: this.link.block.counter(),
      overruns: counts.overruns, applied: counts.applied, paramLatency: this.link.block.paramLatency(),
    };
  }

  info(): AudioDeviceInfo {
    return {
      sampleRate: this.ctx.sampleRate,
      outputLatency: this.ctx.outputLatency ?? 0,
      baseLatency: this.ctx.baseLatency ?? 0,
      state: this.keeper.state,
      sharedMemory: this.link.fallback === undefined,
      outputDevice: currentOutput(this.ctx),
    };
  }

  /** Plays on output device `id` ('' = the system default). */
  setOutputDevice(id: string): Promise<void> {
    return setOutput(this.ctx, id);
  }

  /** How the processor was set up (wasm transport, shared memory). */
  processorStatus(): ProcessorStatus {
    return this.link.status;
  }

  /**
   * Writes a probe record through the ring; the worklet records how many
   * quanta after the write it was applied (see `stats().paramLatency`).
   */
  probe(): void {
    this.link.writer.write(eventKey(EventKind.probe, 0, 0, 0), 0);
  }

  async exportWav(doc: SessionDocument, seconds: Seconds, onProgress?: (fraction: number) => void): Promise<Blob> {
    const rendered = await renderOffline({
      // 48 kHz whatever the device runs at, like `outboard render`: the same document gives the same file.
      workletUrl: this.link.workletUrl, wasm: this.link.wasm, doc, seconds, sampleRate: PREFERRED_RATE,
      samples: this.samples, transport: this.link.transport, onProgress: onProgress ? (f) => onProgress(f * 0.9) : undefined,
    });
    const blob = encodeWavBlob(rendered);
    onProgress?.(1);
    return blob;
  }

  /** Plays a note on an instrument track (on-screen keys; MIDI keyboards arrive through `enableMidi`). */
  noteOn(trackId: string, note: MidiNote, velocity = 0.8): void {
    const slot = this.feed.graph.slotOf(trackId);
    if (slot !== undefined) this.link.writer.write(eventKey(EventKind.noteOn, slot, 0, note), velocity);
  }

  noteOff(trackId: string, note: MidiNote): void {
    const slot = this.feed.graph.slotOf(trackId);
    if (slot !== undefined) this.link.writer.write(eventKey(EventKind.noteOff, slot, 0, note), 0);
  }

  /**
   * Listens to every MIDI keyboard; notes play `trackId` (default: the first
   * track, by engine slot, whose chain starts with an instrument).
   */
  async enableMidi(trackId?: string): Promise<MidiStatus> {
    this.midiTrack = trackId;
    return this.midi.enable();
  }

  /** Raw MIDI messages (for MIDI learn); returns the remover. */
  onMidiMessage(listener: (data: Uint8Array, input: string) => void): () => void {
    return this.midi.listen(listener);
  }

  /** Opens live input (getUserMedia, no voice processing) into the engine's input. */
  async openInput(deviceId?: string): Promise<void> {
    this.liveInput?.close();
    this.liveInput = await LiveInput.open(this.ctx, this.link.node, deviceId);
  }

  /** Settings of the open live input, or undefined when none is open. */
  inputSettings(): MediaTrackSettings | undefined {
    return this.liveInput?.settings();
  }

  closeInput(): void {
    this.liveInput?.close();
    this.liveInput = undefined;
  }

  /** Releases everything; the context is closed unless it was handed in. */
  async close(closeContext = true): Promise<void> {
    this.stopPump();
    this.midi.disable();
    this.closeInput();
    this.keeper.dispose();
    this.link.node.disconnect();
    this.link.fallback?.close();
    this.link.node.port.close();
    if (closeContext) await this.ctx.close();
  }

  private onMidiNote(e: NoteEvent): void {
    const track = this.midiTrack ?? this.feed.graph.firstInstrument();
    if (track === undefined) return;
    if (e.on) this.noteOn(track, e.note, e.velocity);
    else this.noteOff(track, e.note);
  }

  /** Once per frame: retry ring writes a full ring refused; in the fallback, fetch meters. */
  private startPump(): void {
    const tick = (): void => {
      this.link.writer.flush();
      this.link.fallback?.requestMeters();
      this.pump = schedule(tick);
    };
    this.pump = schedule(tick);
  }

  private stopPump(): void {
    cancel(this.pump);
  }
}

async function assetUrls(options: AudioEngineOptions): Promise<{ workletUrl: string; wasmUrl: string }> {
  if (options.workletUrl && options.wasmUrl) return { workletUrl: options.workletUrl, wasmUrl: options.wasmUrl };
  const { ENGINE_ASSETS } = await import('./assets.ts');
  return { workletUrl: options.workletUrl ?? ENGINE_ASSETS.workletUrl, wasmUrl: options.wasmUrl ?? ENGINE_ASSETS.wasmUrl };
}

const schedule = (f: () => void): number =>
  typeof requestAnimationFrame === 'function' ? requestAnimationFrame(f) : (setTimeout(f, 16) as unknown as number);
const cancel = (id: number): void =>
  typeof cancelAnimationFrame === 'function' ? cancelAnimationFrame(id) : clearTimeout(id);

/** The app's entry point: `AudioEngine.create` with the built app's asset URLs. */
export function createAudioEngine(options: AudioEngineOptions = {}): Promise<AudioEngine> {
  return AudioEngine.create(options);
}
