/**
 * The audio-thread -> UI status block: meters, engine load and timing,
 * written by the AudioWorkletProcessor after every render quantum and read by
 * the UI on requestAnimationFrame.
 *
 * REAL-TIME BOUNDARY. One writer (the processor's `process()`), any number of
 * readers on the main thread. Layout (byte offsets; 32-bit words):
 *
 * | bytes        | type | meaning                                                               |
 * |--------------|------|-----------------------------------------------------------------------|
 * | 0..3         | i32  | quantum counter: render quanta completed (Atomics.store, last write)  |
 * | 4..7         | i32  | meter slots in use (tracks + master)                                  |
 * | 8..11        | i32  | timed quanta (one in four) whose time exceeded the budget (overruns)  |
 * | 12..15       | i32  | ring latency of the last ring record, in quanta (-1: none yet)        |
 * | 16..19       | i32  | worst ring latency seen, in quanta                                    |
 * | 20..23       | i32  | ring records applied, total                                           |
 * | 24..27       | i32  | the pattern step the transport is on after the last quantum, -1 stopped |
 * | 32..35       | f32  | engine load: mean share of the 128-frame budget over the last window  |
 * | 36..39       | f32  | peak load: the highest window mean since start                        |
 * | 40..43       | f32  | sample rate the processor runs at                                     |
 * | 64 + 8*s     | f32  | slot s peak, linear, with a 20 dB/s fall-off                          |
 * | 68 + 8*s     | f32  | slot s RMS, linear, 300 ms exponential average                        |
 *
 * Slot s is the engine's track slot s; the master bus is slot `MASTER_SLOT`.
 * The f32 fields are plain stores: a reader may see one slot a quantum newer
 * than another, which a meter cannot show. The counter is stored last with
 * Atomics.store, so a reader that loads it first sees every field at least as
 * new as the counter says. Overflow: none, the block has a fixed slot count.
 *
 * Without cross-origin isolation the block is a plain ArrayBuffer in the
 * worklet, and the UI asks for a copy over the port once per frame.
 */

/**
 * Track slots the block has room for; the master bus uses the last one.
 * WASM CONTRACT: equals the engine's TRACK_SLOTS (64 tracks + master at 64).
 */
export const METER_SLOTS = 65;
/** The master bus's meter slot. */
export const MASTER_SLOT = METER_SLOTS - 1;
const HEADER_BYTES = 64;
/** Size of the block in bytes. */
export const METER_BLOCK_BYTES = HEADER_BYTES + METER_SLOTS * 8;

const I_COUNTER = 0;
const I_SLOTS = 1;
const I_OVERRUNS = 2;
const I_PARAM_LATENCY = 3;
const I_PARAM_LATENCY_MAX = 4;
const I_APPLIED = 5;
const I_STEP = 6;
const F_LOAD = 8;
const F_LOAD_PEAK = 9;
const F_SAMPLE_RATE = 10;
const F_SLOTS = HEADER_BYTES / 4;

/** A typed view over the status block (same class on both threads). */
export class MeterBlock {
  readonly buffer: SharedArrayBuffer | ArrayBuffer;
  private readonly ints: Int32Array;
  private readonly floats: Float32Array;

  constructor(buffer: SharedArrayBuffer | ArrayBuffer) {
    if (buffer.byteLength < METER_BLOCK_BYTES) throw new RangeError(`meter block: needs ${METER_BLOCK_BYTES} bytes`);
    this.buffer = buffer;
    this.ints = new Int32Array(buffer, 0, METER_BLOCK_BYTES / 4);
    this.floats = new Float32Array(buffer, 0, METER_BLOCK_BYTES / 4);
    this.ints[I_PARAM_LATENCY] = -1;
    this.ints[I_STEP] = -1;
  }

  /** A new block in shared memory, or a plain buffer for the port fallback. */
  static create(shared: boolean): MeterBlock {
    return new MeterBlock(shared ? new SharedArrayBuffer(METER_BLOCK_BYTES) : new ArrayBuffer(METER_BLOCK_BYTES));
  }

  // ---- writer side (audio thread), all allocation-free ----

  /** Writer: one slot's levels (linear). */
  setLevel(slot: number, peak: number, rms: number): void {
    this.floats[F_SLOTS + 2 * slot] = peak;
    this.floats[F_SLOTS + 2 * slot + 1] = rms;
  }

  /** Writer: load figures, shares of the budget. */
  setLoad(mean: number, peak: number): void {
    this.floats[F_LOAD] = mean;
    this.floats[F_LOAD_PEAK] = peak;
  }

  /** Writer: static facts, once. */
  setInfo(sampleRate: number, slots: number): void {
    this.floats[F_SAMPLE_RATE] = sampleRate;
    this.ints[I_SLOTS] = slots;
  }

  /** Writer: a ring record was applied `quanta` quanta after it was stamped. */
  recordParamLatency(quanta: number): void {
    this.ints[I_PARAM_LATENCY] = quanta;
    if (quanta > this.ints[I_PARAM_LATENCY_MAX]!) this.ints[I_PARAM_LATENCY_MAX] = quanta;
  }

  /** Writer: counts ring records applied and overrun quanta. */
  addCounts(applied: number, overruns: number): void {
    this.ints[I_APPLIED] = (this.ints[I_APPLIED]! + applied) | 0;
    this.ints[I_OVERRUNS] = (this.ints[I_OVERRUNS]! + overruns) | 0;
  }

  /** Writer: the pattern step the transport is on (-1 stopped): the playhead every device draws. */
  setStep(step: number): void {
    this.ints[I_STEP] = step;
  }

  /** Writer: publishes the quantum counter last (release). */
  publish(counter: number): void {
    Atomics.store(this.ints, I_COUNTER, counter | 0);
  }

  // ---- reader side ----

  /** Render quanta completed so far (acquire). */
  counter(): number {
    return Atomics.load(this.ints, I_COUNTER) >>> 0;
  }

  /** The pattern step the transport was on after the last quantum, or -1 when stopped. */
  step(): number {
    return this.ints[I_STEP]!;
  }

  /** Peak (linear) of a slot. */
  peak(slot: number): number {
    return this.floats[F_SLOTS + 2 * slot]!;
  }

  /** RMS (linear) of a slot. */
  rms(slot: number): number {
    return this.floats[F_SLOTS + 2 * slot + 1]!;
  }

  /** Mean engine load (0..1 of the budget) over the last window. */
  load(): number {
    return this.floats[F_LOAD]!;
  }

  /** Highest window mean load since start. */
  loadPeak(): number {
    return this.floats[F_LOAD_PEAK]!;
  }

  /** Sample rate the processor reported. */
  sampleRate(): number {
    return this.floats[F_SAMPLE_RATE]!;
  }

  /** Latest and worst ring latency in quanta (-1 before the first ring record). */
  paramLatency(): { last: number; worst: number } {
    return { last: this.ints[I_PARAM_LATENCY]!, worst: this.ints[I_PARAM_LATENCY_MAX]! };
  }

  /** Ring records applied and quanta over budget, since start. */
  counts(): { applied: number; overruns: number } {
    return { applied: this.ints[I_APPLIED]! >>> 0, overruns: this.ints[I_OVERRUNS]! >>> 0 };
  }

  /** Copies another block's bytes in (port fallback: the UI's copy of the worklet's block). */
  copyFrom(bytes: ArrayBuffer): void {
    new Uint8Array(this.buffer).set(new Uint8Array(bytes, 0, METER_BLOCK_BYTES));
  }
}
