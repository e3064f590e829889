/**
 * The AudioWorkletGlobalScope, typed locally: TypeScript's DOM library has
 * no worklet globals, and declaring them ambiently would leak them into the
 * main-thread code.
 */
export interface AudioWorkletProcessorBase {
  readonly port: MessagePort;
}

/** Options the node was constructed with, as the processor receives them. */
export interface ProcessorConstructionOptions {
  readonly processorOptions?: unknown;
  readonly numberOfInputs?: number;
  readonly numberOfOutputs?: number;
}

interface AudioWorkletScope {
  readonly AudioWorkletProcessor: new (options?: ProcessorConstructionOptions) => AudioWorkletProcessorBase;
  registerProcessor(name: string, ctor: new (options: ProcessorConstructionOptions) => AudioWorkletProcessorBase): void;
  readonly sampleRate: number;
  readonly currentFrame: number;
}

/** The worklet's globals. Only valid inside an AudioWorklet. */
export const scope = globalThis as unknown as AudioWorkletScope;
