import type { SessionDocument } from '../src/protocol/session.ts';
import type { SlotMap } from './shared/rpc.ts';

/**
 * What the processor needs from the WASM engine, in one place: the adapter
 * over `wasm/host` (EngineCore + the session projection) implements it, so
 * the processor's real-time loop does not depend on the binding's details.
 *
 * Real-time rules: `process`, the setters and the view getters are called
 * from `process()` and must not allocate; `applyDocument` and `setSample`
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
  /** A plugin param, in its own unit (smoothed by the engine). */
  setParam(trackSlot: number, pluginSlot: number, paramIndex: number, value: number): void;
  /** A track's fader (dB), pan (-1..1) or mute (0/1). */
  setTrackParam(trackSlot: number, field: number, value: number): void;
  noteOn(trackSlot: number, note: number, velocity: number): void;
  noteOff(trackSlot: number, note: number): void;
  setPlaying(playing: boolean): void;
  /** Projects a document (incrementally after the first); returns where everything went. */
  applyDocument(doc: SessionDocument): SlotMap;
  /** Loads decoded audio for a file source. */
  setSample(sampleId: string, channels: Float32Array[], sampleRate: number): void;
}
