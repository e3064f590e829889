import type { EngineLimits, GraphCommand, GraphSink } from '../wasm/host/graph-commands.ts';

/**
 * What the processor needs from the WASM engine, in one place: the adapter
 * over `wasm/host` (EngineCore + CommandExecutor) implements it, so
 * the processor's real-time loop does not depend on the binding's details.
 *
 * Real-time rules: `process`, the setters and the view getters are called
 * from `process()` and must not allocate; `execute` and `setSample`
 * are called from the message handler, between quanta, and may.
 */
export interface DspHost {
  /** Frames per block (128, the render quantum). */
  readonly blockFrames: number;
  /** Renders one block: reads the input views, writes the output views and the meters. */
  process(): void;
  /** Left and right output of the last block (views into WASM memory; re-fetch after structural calls). */
  output(channel: 0 | 1): Float32Array;
  /** Live-input buffers the next process() reads. */
  input(channel: 0 | 1): Float32Array;
  /** Per track slot [peak, rms] linear, master at `masterSlot`; the engine applies meter ballistics. */
  meters(): Float32Array;
  readonly masterSlot: number;
  readonly limits: EngineLimits;
  /** A plugin param, in its own unit (smoothed by the engine). */
  setParam(trackSlot: number, pluginSlot: number, paramIndex: number, value: number): void;
  /** A track's fader (dB), pan (-1..1) or mute (0/1). */
  setTrackParam(trackSlot: number, field: number, value: number): void;
  noteOn(trackSlot: number, note: number, velocity: number): void;
  noteOff(trackSlot: number, note: number): void;
  setPlaying(playing: boolean): void;
  /** Moves the transport to `seconds` from its start: patterns and file loops continue from there. */
  seek(seconds: number): void;
  /** The pattern step the transport is on (0..15), -1 when stopped. */
  step(): number;
  /** One graph command (graph-commands.ts): the only way the graph changes. */
  execute(command: GraphCommand): void;
  /** Loads decoded audio for a file source. */
  setSample(sampleId: string, channels: Float32Array[], sampleRate: number): void;
}

/**
 * A sink that runs `EngineGraph`'s output straight on a DspHost, without the
 * ring or comlink in between (the Worker bench and tests; the processor gets
 * the same values and commands through `EngineRunner`).
 */
export function hostSink(host: DspHost): GraphSink {
  return {
    param: (slot, plugin, index, value) => host.setParam(slot, plugin, index, value),
    trackValue: (slot, field, value) => host.setTrackParam(slot, field, value),
    command: (c) => host.execute(c),
  };
}
