/**
 * The engine's AudioWorkletProcessor: hosts the same engine.wasm as the Node
 * CLI, on the audio thread.
 *
 * Channels between the threads (see the files named for their layouts):
 * - UI -> audio, params, notes, transport: `shared/param-ring.ts`, drained
 *   at the start of every quantum; without cross-origin isolation the same
 *   records arrive as port messages (`FallbackMessage`).
 * - audio -> UI, meters and load: `shared/meter-block.ts`, written after every
 *   quantum; without isolation the UI asks for a copy once per frame.
 * - graph commands: comlink over the node's port (`shared/rpc.ts`,
 *   `wasm/host/graph-commands.ts`); the session document never comes here.
 *
 * The WASM module arrives compiled in `processorOptions.module`; where the
 * browser cannot clone a module into the worklet, the bytes arrive instead
 * and are compiled here, asynchronously. Until the engine is ready, and after
 * any error, the processor outputs silence.
 */
import { expose } from 'comlink';
import type { DspHost } from './dsp-host.ts';
import { createDspHost } from './wasm-dsp-host.ts';
import { EngineRunner } from './engine-runner.ts';
import { workletClock } from './load-meter.ts';
import { ParamRing } from './shared/param-ring.ts';
import { MeterBlock } from './shared/meter-block.ts';
import {
  ENGINE_PROCESSOR, type EngineProcessorOptions, type EngineRpc, type FallbackMessage,
  type ProcessorStatus,
} from './shared/rpc.ts';
import { scope, type ProcessorConstructionOptions } from './worklet-scope.ts';

class EngineProcessor extends scope.AudioWorkletProcessor {
  private readonly runner: EngineRunner;
  private readonly ready: Promise<DspHost>;
  private readonly transport: 'module' | 'bytes';
  private initError: string | null = null;

  constructor(options: ProcessorConstructionOptions) {
    super(options);
    const opts = (options.processorOptions ?? {}) as EngineProcessorOptions;
    const shared = opts.ring !== undefined && opts.meters !== undefined;
    const ring = shared ? new ParamRing(opts.ring!) : null;
    const block = shared ? new MeterBlock(opts.meters!) : MeterBlock.create(false);
    this.runner = new EngineRunner(ring, block, scope.sampleRate, workletClock());
    this.transport = opts.module ? 'module' : 'bytes';
    const source = opts.module ?? opts.bytes;
    this.ready = source
      ? createDspHost(source, scope.sampleRate)
      : Promise.reject(new Error('engine processor: processorOptions carries neither module nor bytes'));
    this.ready.then(
      (host) => void (this.runner.host = host),
      (error: unknown) => void (this.initError = error instanceof Error ? error.message : String(error)),
    );
    expose(this.rpc(), this.port);
  }

  /** The structural command surface, served through comlink. */
  private rpc(): EngineRpc {
    return {
      run: async (commands) => {
        await this.ready;
        this.runner.run(commands);
      },
      setSample: async (id, channels, rate) => (await this.ready).setSample(id, channels, rate),
      setPlaying: async (playing) => (await this.ready).setPlaying(playing),
      attachFallback: async (port) => this.attachFallback(port),
      whenReady: async () => {
        await this.ready;
        return this.status();
      },
      status: async () => this.status(),
    };
  }

  private status(): ProcessorStatus {
    return {
      ready: this.runner.host !== null,
      wasmTransport: this.transport,
      sharedMemory: this.runner.ring !== null,
      quanta: this.runner.quanta,
      error: this.initError ?? this.runner.error,
      limits: this.runner.host?.limits ?? null,
    };
  }

  /** Port fallback: records in, status-block copies out. Runs between quanta. */
  private attachFallback(port: MessagePort): void {
    port.onmessage = (event: MessageEvent<FallbackMessage>) => {
      const msg = event.data;
      if (msg.type === 'events') this.runner.applyRecords(msg.buffer);
      else if (msg.type === 'meters?') {
        const copy = (this.runner.block.buffer as ArrayBuffer).slice(0);
        port.postMessage({ type: 'meters', buffer: copy } satisfies FallbackMessage, [copy]);
      }
    };
  }

  /** One render quantum; see EngineRunner.render for the real-time rules. */
  process(inputs: Float32Array[][], outputs: Float32Array[][]): boolean {
    const out = outputs[0];
    if (out !== undefined && out[0] !== undefined) this.runner.render(inputs[0], out[0], out[1]);
    return true;
  }
}

scope.registerProcessor(ENGINE_PROCESSOR, EngineProcessor);
