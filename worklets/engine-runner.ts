import type { DspHost } from './dsp-host.ts';
import type { RingSink } from './shared/param-ring.ts';
import { ParamRing } from './shared/param-ring.ts';
import { EventKind, keyIndex, keyKind, keyPlugin, keyTrack } from './shared/event-keys.ts';
import { MeterBlock, METER_SLOTS, MASTER_SLOT } from './shared/meter-block.ts';
import { LoadMeter } from './load-meter.ts';
import type { EngineCommand } from './shared/rpc.ts';

/** Quanta per load window: 1 s at 48 kHz. */
const LOAD_WINDOW = 375;
/** One quantum in this many is timed (see LoadMeter: the clock allocates). */
const LOAD_STRIDE = 4;

/**
 * The real-time loop of the engine processor, apart from the
 * AudioWorkletProcessor shell so it can run (and be tested) anywhere.
 *
 * REAL-TIME BOUNDARY. `render()` runs once per render quantum on the audio
 * thread. It allocates nothing (but for the load meter's clock reading, one
 * quantum in four, see load-meter.ts), never waits (the ring is wait-free, the
 * status block is plain stores plus one Atomics.store) and never throws: an
 * exception from the engine is caught, the output goes silent and the error
 * is kept for `status()`; everything it touches was allocated in the
 * constructor.
 */
export class EngineRunner implements RingSink {
  /** The engine, once instantiated; silence until then. */
  host: DspHost | null = null;
  /** Render quanta completed; stamps in the ring are compared against it. */
  quanta = 0;
  /** The last error caught in render(), or null. */
  error: string | null = null;
  /** The shared ring, or null (port fallback: records arrive through `applyRecords`). */
  readonly ring: ParamRing | null;
  readonly block: MeterBlock;
  private readonly load: LoadMeter;
  private applied = 0;

  /**
   * @param ring the shared event ring, or null for the port fallback
   * @param block the status block (shared, or private for the fallback)
   * @param sampleRate the context rate
   * @param clock a millisecond clock for the load meter
   */
  constructor(ring: ParamRing | null, block: MeterBlock, sampleRate: number, clock: () => number) {
    this.ring = ring;
    this.block = block;
    this.load = new LoadMeter((128 / sampleRate) * 1000, LOAD_WINDOW, LOAD_STRIDE, clock);
    block.setInfo(sampleRate, METER_SLOTS);
  }

  /**
   * One render quantum. `input` is the node's first input (0, 1 or 2
   * channels, live input); `left`/`right` receive the engine's output.
   */
  render(input: readonly Float32Array[] | undefined, left: Float32Array, right: Float32Array | undefined): void {
    this.load.begin();
    const host = this.host;
    if (host === null || this.error !== null) {
      left.fill(0);
      right?.fill(0);
    } else {
      try {
        if (this.ring !== null) this.applied += this.ring.drain(this);
        this.feedInput(host, input);
        host.process();
        left.set(host.output(0));
        right?.set(host.output(1));
        this.publishLevels(host);
        this.block.setStep(host.step());
      } catch (error) {
        this.error = error instanceof Error ? error.message : String(error);
        left.fill(0);
        right?.fill(0);
      }
    }
    this.quanta++;
    if (this.load.end()) this.block.setLoad(this.load.mean, this.load.peak);
    this.block.addCounts(this.applied, this.load.takeOverruns());
    this.applied = 0;
    this.block.publish(this.quanta);
  }

  /**
   * Port fallback: applies a batch of records that came in a message
   * (called from the message handler, between quanta).
   */
  applyRecords(buffer: ArrayBuffer): void {
    this.applied += new ParamRing(buffer).drain(this);
  }

  /**
   * Graph commands from the main thread, in order (called from the message
   * handler, between quanta; may allocate). Ring records written before the
   * commands were sent are applied first: they address chain positions as
   * they were before these commands.
   */
  run(commands: readonly EngineCommand[]): void {
    const host = this.host;
    if (host === null) throw new Error('engine processor: a command arrived before the engine was ready');
    if (this.ring !== null) this.applied += this.ring.drain(this);
    for (const c of commands) {
      if (c.op === 'record') {
        this.applyEvent(host, c.key, c.value);
        this.applied++;
      } else {
        host.execute(c);
      }
    }
  }

  /** RingSink: one record from the UI's ring. Called inside render() (or applyRecords, the fallback's ring). */
  onEvent(key: number, value: number, stamp: number): void {
    const host = this.host;
    if (host === null) return;
    this.block.recordParamLatency((this.quanta - stamp) | 0);
    this.applyEvent(host, key, value);
  }

  private applyEvent(host: DspHost, key: number, value: number): void {
    switch (keyKind(key)) {
      case EventKind.param:
        host.setParam(keyTrack(key), keyPlugin(key), keyIndex(key), value);
        break;
      case EventKind.track:
        host.setTrackParam(keyTrack(key), keyIndex(key), value);
        break;
      case EventKind.noteOn:
        host.noteOn(keyTrack(key), keyIndex(key), value);
        break;
      case EventKind.noteOff:
        host.noteOff(keyTrack(key), keyIndex(key));
        break;
      case EventKind.transport:
        host.setPlaying(value > 0);
        break;
      case EventKind.seek:
        host.seek(value);
        break;
      default:
        break; // probe: only the latency above
    }
  }

  private feedInput(host: DspHost, input: readonly Float32Array[] | undefined): void {
    const l = host.input(0);
    const r = host.input(1);
    const a = input?.[0];
    if (a === undefined || a.length !== l.length) {
      l.fill(0);
      r.fill(0);
      return;
    }
    l.set(a);
    const b = input?.[1];
    r.set(b !== undefined && b.length === r.length ? b : a);
  }

  /** Copies the engine's meters (already with ballistics: held peaks, 300 ms RMS) into the status block. */
  private publishLevels(host: DspHost): void {
    const m = host.meters();
    const master = host.masterSlot;
    for (let slot = 0; slot <= master && slot < METER_SLOTS; slot++) {
      this.block.setLevel(slot === master ? MASTER_SLOT : slot, m[2 * slot]!, m[2 * slot + 1]!);
    }
  }
}
