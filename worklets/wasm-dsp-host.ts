import { CommandExecutor } from '../wasm/host/command-executor.ts';
import { EngineCore } from '../wasm/host/engine-core.ts';
import type { EngineLimits, GraphCommand } from '../wasm/host/graph-commands.ts';
import type { DspHost } from './dsp-host.ts';

/**
 * Instantiates engine.wasm (from a compiled module: synchronous; from bytes:
 * compiled here) and wraps EngineCore + CommandExecutor as the processor's DspHost.
 */
export async function createDspHost(source: WebAssembly.Module | ArrayBuffer, sampleRate: number): Promise<DspHost> {
  const core = source instanceof WebAssembly.Module
    ? EngineCore.fromModule(source, sampleRate)
    : await EngineCore.fromBytes(source, sampleRate);
  return new CoreHost(core);
}

/** DspHost over EngineCore; the per-quantum methods forward without allocating. */
class CoreHost implements DspHost {
  readonly blockFrames: number;
  readonly masterSlot: number;
  readonly limits: EngineLimits;
  private readonly core: EngineCore;
  private readonly executor: CommandExecutor;

  constructor(core: EngineCore) {
    this.core = core;
    this.executor = new CommandExecutor(core);
    this.blockFrames = core.blockSize;
    this.masterSlot = core.masterSlot;
    this.limits = core.limits;
  }

  process(): void { this.core.process(); }
  output(channel: 0 | 1): Float32Array { return this.core.output[channel]; }
  input(channel: 0 | 1): Float32Array { return this.core.input[channel]; }
  meters(): Float32Array { return this.core.meters; }
  setParam(t: number, p: number, i: number, v: number): void { this.executor.param(t, p, i, v); }
  setTrackParam(t: number, field: number, v: number): void { this.executor.trackValue(t, field, v); }
  noteOn(t: number, note: number, velocity: number): void { this.core.noteOn(t, note, velocity); }
  noteOff(t: number, note: number): void { this.core.noteOff(t, note); }

  step(): number { return this.core.step; }

  setPlaying(playing: boolean): void {
    if (playing === this.core.playing) return;
    if (playing) this.core.play();
    else this.core.stop();
  }

  seek(seconds: number): void {
    this.core.position = seconds * this.core.sampleRate;
  }

  execute(command: GraphCommand): void {
    this.executor.execute(command);
  }

  setSample(sampleId: string, channels: Float32Array[], sampleRate: number): void {
    this.executor.setSample(sampleId, channels, sampleRate);
  }
}
