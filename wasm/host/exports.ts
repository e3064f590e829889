/**
 * The raw exports of engine.wasm (see wasm/assembly/index.ts). Slots are
 * numbers: track slots 0..maxTracks-1, master at masterSlot(); plugin slots
 * are chain positions; params are catalog indices.
 */
export interface EngineExports {
  readonly memory: WebAssembly.Memory;
  setup(sampleRate: number): void;
  blockSize(): number;
  maxTracks(): number;
  masterSlot(): number;
  maxPlugins(): number;
  maxParams(): number;
  maxSends(): number;
  inputPtr(): number;
  outputPtr(): number;
  metersPtr(): number;
  trackReset(t: number): void;
  trackSetActive(t: number, on: boolean): void;
  trackSetSource(t: number, kind: number): void;
  trackSetGain(t: number, db: number): void;
  trackSetPan(t: number, pan: number): void;
  trackSetMute(t: number, on: boolean): void;
  trackSetSolo(t: number, on: boolean): void;
  trackSetSendCount(t: number, count: number): void;
  trackSetSend(t: number, i: number, target: number, gainDb: number): void;
  trackSetStep(t: number, step: number, note: number): void;
  trackSampleAlloc(t: number, frames: number, channels: number): number;
  trackSampleFree(t: number): void;
  pluginCount(t: number): number;
  pluginInsert(t: number, index: number, code: number): number;
  pluginRemove(t: number, index: number): void;
  pluginMove(t: number, from: number, to: number): void;
  pluginSetType(t: number, index: number, code: number): void;
  pluginSetBypass(t: number, index: number, on: boolean): void;
  pluginSetParam(t: number, index: number, param: number, value: number): void;
  noteOn(t: number, note: number, velocity: number): number;
  noteOff(t: number, note: number): number;
  allNotesOff(t: number): number;
  transportPlay(): void;
  transportStop(): void;
  transportPlaying(): number;
  setTempo(bpm: number): void;
  setPosition(samples: number): void;
  getPosition(): number;
  reset(): void;
  process(): void;
  stageAlloc(frames: number): number;
  processStaged(frames: number): void;
  /** The first frame with a float sample that is not a finite number, or -1. */
  stageDecode(frames: number, channels: number, bits: number, isFloat: boolean): number;
  stageEncode(frames: number, channels: number, bits: number, isFloat: boolean): void;
}

/** Imports the module needs: only `env.abort`, called on a trap-worthy bug. */
export function engineImports(): WebAssembly.Imports {
  return {
    env: {
      abort(_message: number, _file: number, line: number, column: number): never {
        throw new Error(`engine.wasm aborted at ${line}:${column}`);
      },
    },
  };
}
