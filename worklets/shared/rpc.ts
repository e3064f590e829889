import type { EngineLimits, GraphCommand } from '../../wasm/host/graph-commands.ts';

/**
 * A ring record (`param-ring.ts` key and value) riding the command stream
 * instead of the ring: while graph commands are in flight (so it cannot
 * overtake them), and always in the port fallback (one channel keeps one
 * order). It carries no quantum stamp: its delay is the message's, not the
 * ring's, and the ring latency the status block reports stays the ring's.
 */
export interface RecordCommand {
  readonly op: 'record';
  readonly key: number;
  readonly value: number;
}

/** What `EngineRpc.run` carries, executed in order. */
export type EngineCommand = GraphCommand | RecordCommand;

/** What the processor reports about itself. */
export interface ProcessorStatus {
  /** True once the WASM engine is instantiated. */
  readonly ready: boolean;
  /** How the module arrived: a compiled `WebAssembly.Module` or bytes compiled in the worklet. */
  readonly wasmTransport: 'module' | 'bytes';
  /** True when params and meters use SharedArrayBuffer. */
  readonly sharedMemory: boolean;
  /** Render quanta processed. */
  readonly quanta: number;
  /** The last error the processor caught outside process() (instantiation, a bad command). */
  readonly error: string | null;
  /** The engine's capacity, once it is instantiated. */
  readonly limits: EngineLimits | null;
}

/**
 * Structural commands, main thread -> worklet, through comlink over the
 * AudioWorkletNode's port. These run in the worklet's message handler,
 * between render quanta, where allocating is allowed.
 */
export interface EngineRpc {
  /**
   * Runs commands in order, after applying every ring record written before
   * them (so a value never lands on a chain position that moved under it).
   */
  run(commands: readonly EngineCommand[]): Promise<void>;
  /** Loads decoded sample data for a file source, at the context rate. */
  setSample(sampleId: string, channels: Float32Array[], sampleRate: number): Promise<void>;
  /** Starts or stops the transport (the ring carries the same for live use). */
  setPlaying(playing: boolean): Promise<void>;
  /** Port fallback: attaches the port that carries ring records in and meter copies out. */
  attachFallback(port: MessagePort): Promise<void>;
  /** Resolves once the engine is instantiated (or rejects with why it could not be). */
  whenReady(): Promise<ProcessorStatus>;
  status(): Promise<ProcessorStatus>;
}

/** `processorOptions` of the engine AudioWorkletNode. */
export interface EngineProcessorOptions {
  /** The compiled engine (where the browser can clone modules into the worklet). */
  readonly module?: WebAssembly.Module;
  /** The engine bytes, compiled inside the worklet (Safari's path). */
  readonly bytes?: ArrayBuffer;
  /** The UI -> audio event ring (`param-ring.ts`); absent without cross-origin isolation. */
  readonly ring?: SharedArrayBuffer;
  /** The audio -> UI status block (`meter-block.ts`); absent without cross-origin isolation. */
  readonly meters?: SharedArrayBuffer;
}

/** Messages on the fallback port (no cross-origin isolation). */
export type FallbackMessage =
  /** main -> worklet: a private ring's buffer holding `count` records to apply now. */
  | { readonly type: 'events'; readonly buffer: ArrayBuffer; readonly count: number }
  /** main -> worklet: asks for a copy of the status block. */
  | { readonly type: 'meters?' }
  /** worklet -> main: the copy. */
  | { readonly type: 'meters'; readonly buffer: ArrayBuffer };

/** The name the processor is registered under. */
export const ENGINE_PROCESSOR = 'outboard-engine';
