import type { BeatsPerMinute, Decibels, MidiNote } from '../../src/protocol/units.ts';
import { pluginCode, SOURCE_CODES, type SourceKind } from './codes.ts';
import { engineImports, type EngineExports } from './exports.ts';
import type { EngineLimits } from './graph-commands.ts';
import { engineValues } from './param-values.ts';
import type { PcmLayout } from './wav.ts';

/** A track slot in the engine: 0..maxTracks-1, or {@link EngineCore.masterSlot}. */
export type TrackSlot = number;
/** A plugin's position in its track's chain. */
export type PluginSlot = number;

/** One send as the engine takes it: a bus track slot and a level. */
export interface SlotSend {
  readonly target: TrackSlot;
  readonly gainDb: Decibels;
}

/** Views of the engine's offline staging area (see {@link EngineCore.stage}), left then right. */
export interface StagedChunk {
  readonly input: readonly [Float32Array, Float32Array];
  readonly output: readonly [Float32Array, Float32Array];
  /** WAV sample data, 8 bytes per frame (see {@link EngineCore.decodeStaged}, {@link EngineCore.encodeStaged}). */
  readonly pcm: Uint8Array;
}

/**
 * The DSP engine: one engine.wasm instance running the whole graph on
 * 128-frame blocks. Pure TypeScript over WebAssembly — no Node, DOM, fetch or
 * timers — so it runs in Node and inside an AudioWorkletGlobalScope alike.
 *
 * Real-time use: write `input[0..1]`, call {@link process}, read
 * `output[0..1]` and `meters`. Those views are cached and only re-created
 * after a structural call grew the memory, so a block allocates nothing.
 * Structural calls (plugins, samples) may allocate; make them between blocks.
 */
export class EngineCore {
  /** Frames per {@link process} call. */
  readonly blockSize: number;
  readonly maxTracks: number;
  /** The master bus's track slot. */
  readonly masterSlot: TrackSlot;
  readonly maxPlugins: number;
  readonly maxSends: number;
  private readonly wasm: EngineExports;
  private buffer: ArrayBuffer | null = null;
  private inputViews: readonly [Float32Array, Float32Array] = [new Float32Array(0), new Float32Array(0)];
  private outputViews: readonly [Float32Array, Float32Array] = [new Float32Array(0), new Float32Array(0)];
  private meterView = new Float32Array(0);

  /** The tempo the engine was last given (it starts at 120). */
  private tempo = 120;

  private constructor(instance: WebAssembly.Instance, readonly sampleRate: number) {
    this.wasm = instance.exports as unknown as EngineExports;
    this.wasm.setup(sampleRate);
    this.blockSize = this.wasm.blockSize();
    this.maxTracks = this.wasm.maxTracks();
    this.masterSlot = this.wasm.masterSlot();
    this.maxPlugins = this.wasm.maxPlugins();
    this.maxSends = this.wasm.maxSends();
  }

  /** The capacity the graph owner (EngineGraph) assigns slots within. */
  get limits(): EngineLimits {
    return { maxTracks: this.maxTracks, masterSlot: this.masterSlot, maxPlugins: this.maxPlugins, maxSends: this.maxSends };
  }

  /** Instantiates synchronously from a compiled module (the AudioWorklet path). */
  static fromModule(module: WebAssembly.Module, sampleRate: number): EngineCore {
    return new EngineCore(new WebAssembly.Instance(module, engineImports()), sampleRate);
  }

  /** Compiles and instantiates from the bytes of engine.wasm. */
  static async fromBytes(bytes: BufferSource, sampleRate: number): Promise<EngineCore> {
    const { instance } = await WebAssembly.instantiate(bytes, engineImports());
    return new EngineCore(instance, sampleRate);
  }

  private views(): void {
    const buf = this.wasm.memory.buffer;
    if (buf === this.buffer) return;
    this.buffer = buf;
    const b = this.blockSize;
    const inp = this.wasm.inputPtr(), out = this.wasm.outputPtr();
    this.inputViews = [new Float32Array(buf, inp, b), new Float32Array(buf, inp + 4 * b, b)];
    this.outputViews = [new Float32Array(buf, out, b), new Float32Array(buf, out + 4 * b, b)];
    this.meterView = new Float32Array(buf, this.wasm.metersPtr(), 2 * (this.maxTracks + 1));
  }

  /** Live input, left and right: write one block here before {@link process}. */
  get input(): readonly [Float32Array, Float32Array] {
    this.views();
    return this.inputViews;
  }

  /** Master output, left and right, valid after {@link process}. */
  get output(): readonly [Float32Array, Float32Array] {
    this.views();
    return this.outputViews;
  }

  /**
   * Meters, linear amplitude: `[peak, rms]` per track slot (index 2 * slot),
   * the master at 2 * masterSlot. Peaks fall back at 20 dB/s; RMS is a 300 ms average.
   */
  get meters(): Float32Array {
    this.views();
    return this.meterView;
  }

  /** Renders one block of {@link blockSize} frames. */
  process(): void {
    this.wasm.process();
  }

  /**
   * Offline rendering a chunk at a time: reserves planar input and output of
   * `frames` frames inside the engine (a structural call: it may allocate)
   * and returns views of them, valid until the next structural call. Write
   * the input, call {@link processStaged}, read the output: the same samples
   * as {@link process} block by block, with one call per chunk.
   */
  stage(frames: number): StagedChunk {
    const ptr = this.wasm.stageAlloc(frames);
    const buf = this.wasm.memory.buffer;
    const plane = (i: number) => new Float32Array(buf, ptr + i * 4 * frames, frames);
    return { input: [plane(0), plane(1)], output: [plane(2), plane(3)], pcm: new Uint8Array(buf, ptr + 16 * frames, 8 * frames) };
  }

  /**
   * Decodes `frames` frames of WAV sample data from the staged `pcm` bytes
   * into the staged input (mono feeds both channels): the samples
   * wav.ts's readWavFrames gives, without a JS loop. Returns the first
   * frame holding a float sample that is not a finite number (a broken
   * file: see wav.ts' nonFiniteSample), or -1.
   */
  decodeStaged(frames: number, layout: PcmLayout): number {
    return this.wasm.stageDecode(frames, layout.channels, layout.bits, layout.float);
  }

  /**
   * Encodes `frames` frames of the staged output as WAV sample data into the
   * staged `pcm` bytes (mono: the average of both channels): the bytes
   * wav.ts's encodeWavFrames writes, without a JS loop.
   */
  encodeStaged(frames: number, layout: PcmLayout): void {
    this.wasm.stageEncode(frames, layout.channels, layout.bits, layout.float);
  }

  /** Renders the first `frames` frames of the staged input (see {@link stage}); a short last block reads zeros past them. */
  processStaged(frames: number): void {
    this.wasm.processStaged(frames);
  }

  /** Clears all DSP state (tails, voices, smoothing) and rewinds the transport; the graph stays. */
  reset(): void {
    this.wasm.reset();
  }

  // --- tracks -------------------------------------------------------------

  /** Empties a track slot (plugins, sends, pattern, sample) and deactivates it. */
  resetTrack(slot: TrackSlot): void { this.wasm.trackReset(slot); }
  setTrackActive(slot: TrackSlot, active: boolean): void { this.wasm.trackSetActive(slot, active); }
  /** A source kind, by name or by its `SOURCE_CODES` value. */
  setTrackSource(slot: TrackSlot, kind: SourceKind | number): void {
    this.wasm.trackSetSource(slot, typeof kind === 'number' ? kind : SOURCE_CODES[kind]);
  }
  setTrackGain(slot: TrackSlot, db: Decibels): void { this.wasm.trackSetGain(slot, db); }
  /** Balance: unity on both channels at 0, -1 = left only. */
  setTrackPan(slot: TrackSlot, pan: number): void { this.wasm.trackSetPan(slot, pan); }
  setTrackMute(slot: TrackSlot, mute: boolean): void { this.wasm.trackSetMute(slot, mute); }
  setTrackSolo(slot: TrackSlot, solo: boolean): void { this.wasm.trackSetSolo(slot, solo); }

  /** Post-fader sends to bus tracks (at most {@link maxSends}); a bus only receives from tracks that run before it. */
  setSends(slot: TrackSlot, sends: readonly SlotSend[]): void {
    const n = Math.min(sends.length, this.maxSends);
    for (let i = 0; i < n; i++) {
      const s = sends[i] as SlotSend;
      this.wasm.trackSetSend(slot, i, s.target, s.gainDb);
    }
    this.wasm.trackSetSendCount(slot, n);
  }

  /** The 16-step pattern an instrument track plays (null = rest). */
  setPattern(slot: TrackSlot, steps: readonly (MidiNote | null)[]): void {
    for (let i = 0; i < 16; i++) this.wasm.trackSetStep(slot, i, steps[i] ?? -1);
  }

  /** Copies audio (already at the engine's rate) into the track's file source; it loops with the transport. */
  loadSample(slot: TrackSlot, channels: readonly Float32Array[]): void {
    const left = channels[0];
    if (!left || left.length === 0) {
      this.wasm.trackSampleFree(slot);
      return;
    }
    const right = channels[1];
    const ptr = this.wasm.trackSampleAlloc(slot, left.length, right ? 2 : 1);
    if (ptr === 0) return;
    const mem = new Float32Array(this.wasm.memory.buffer, ptr, left.length * (right ? 2 : 1));
    mem.set(left);
    if (right) mem.set(right.subarray(0, left.length), left.length);
  }
  clearSample(slot: TrackSlot): void { this.wasm.trackSampleFree(slot); }

  // --- plugins ------------------------------------------------------------

  /** Plugins in a track's chain. */
  pluginCount(slot: TrackSlot): number { return this.wasm.pluginCount(slot); }

  /**
   * Inserts a plugin of catalog `type` at chain position `index`, with its
   * params (catalog defaults for any missing, clamped). An unknown type
   * becomes an inert pass-through so chain positions stay aligned. False
   * when the chain is full. (Direct use, e.g. `outboard process`; a session
   * goes through EngineGraph, which sends `insertCode`.)
   */
  insertPlugin(slot: TrackSlot, index: PluginSlot, type: string, params: Readonly<Record<string, number>> = {}): boolean {
    return this.insertCode(slot, index, pluginCode(type), engineValues(type, params));
  }

  /** Inserts a plugin of kind `code` with every param's value (catalog order, already clamped). */
  insertCode(slot: TrackSlot, index: PluginSlot, code: number, values: ArrayLike<number>): boolean {
    if (!this.wasm.pluginInsert(slot, index, code)) return false;
    this.writeValues(slot, index, values);
    return true;
  }

  removePlugin(slot: TrackSlot, index: PluginSlot): void { this.wasm.pluginRemove(slot, index); }

  /** Moves a plugin with its state (tails survive). */
  movePlugin(slot: TrackSlot, from: PluginSlot, to: PluginSlot): void { this.wasm.pluginMove(slot, from, to); }

  /** Replaces the plugin at `index` with a fresh one of kind `code`, with its values (catalog order). */
  retype(slot: TrackSlot, index: PluginSlot, code: number, values: ArrayLike<number>): void {
    this.wasm.pluginSetType(slot, index, code);
    this.writeValues(slot, index, values);
  }

  /** Bypass crossfades over 5 ms. */
  setBypass(slot: TrackSlot, index: PluginSlot, bypass: boolean): void { this.wasm.pluginSetBypass(slot, index, bypass); }

  /**
   * Sets param `paramIndex` (its index in the catalog descriptor) to `value`
   * in the param's own unit; the engine smooths the change. The value is
   * taken as is: clamping is the caller's (param-values.ts), done once.
   */
  setParam(slot: TrackSlot, index: PluginSlot, paramIndex: number, value: number): void {
    this.wasm.pluginSetParam(slot, index, paramIndex, value);
  }

  private writeValues(slot: TrackSlot, index: PluginSlot, values: ArrayLike<number>): void {
    for (let i = 0; i < values.length; i++) this.wasm.pluginSetParam(slot, index, i, values[i] as number);
  }

  // --- notes and transport -----------------------------------------------

  /** MIDI note on for the track's first synth, velocity 0..1; applied at the next block. */
  noteOn(slot: TrackSlot, note: MidiNote, velocity: number): void { this.wasm.noteOn(slot, note, velocity); }
  noteOff(slot: TrackSlot, note: MidiNote): void { this.wasm.noteOff(slot, note); }
  allNotesOff(slot: TrackSlot): void { this.wasm.allNotesOff(slot); }

  /** Starts the transport: patterns play and file sources loop from the position. */
  play(): void { this.wasm.transportPlay(); }
  /** Stops the transport; pattern notes release and the position rewinds to 0. */
  stop(): void { this.wasm.transportStop(); }
  get playing(): boolean { return this.wasm.transportPlaying() !== 0; }
  setTempo(bpm: BeatsPerMinute): void {
    // WASM CONTRACT: the engine clamps the tempo to 20..300 BPM (assembly/index.ts setTempo); mirrored for `step`.
    this.tempo = Math.max(20, Math.min(300, bpm));
    this.wasm.setTempo(bpm);
  }
  /**
   * The 16-step pattern's current step (0..15), -1 when stopped: the same
   * arithmetic as the engine's step events (assembly/notes.ts), from the
   * transport position.
   */
  get step(): number {
    if (!this.playing) return -1;
    const samplesPerStep = (this.sampleRate * 60) / (this.tempo * 4);
    return Math.floor(this.position / samplesPerStep) % 16;
  }
  /** Transport position in samples since the start. */
  get position(): number { return this.wasm.getPosition(); }
  set position(samples: number) { this.wasm.setPosition(samples); }
}
