/**
 * The UI -> audio-thread event ring: a wait-free single-producer /
 * single-consumer queue of fixed-size records (after padenot/ringbuf.js's
 * param ring, with a stamp added so the audio thread can measure latency).
 *
 * REAL-TIME BOUNDARY. One producer (the main thread's AudioEngine) and one
 * consumer (the AudioWorkletProcessor's `process()`), nothing else touches it.
 *
 * Memory layout (byte offsets into `buffer`; all words little-endian 32-bit):
 *
 * | bytes            | type  | written by          | read by   | meaning                                  |
 * |------------------|-------|---------------------|-----------|------------------------------------------|
 * | 0..3             | i32   | producer (Atomics)  | consumer  | write index: records ever pushed, mod 2^32 |
 * | 64..67           | i32   | consumer (Atomics)  | producer  | read index: records ever drained, mod 2^32 |
 * | 128 + 12*i + 0   | u32   | producer            | consumer  | record i: event key (see `event-keys.ts`) |
 * | 128 + 12*i + 4   | f32   | producer            | consumer  | record i: value (param unit / velocity)   |
 * | 128 + 12*i + 8   | u32   | producer            | consumer  | record i: stamp = the consumer's quantum counter as the producer last saw it |
 *
 * The two indices sit on separate 64-byte lines so the threads never share a
 * cache line they both write. `capacity` is a power of two; record i lives in
 * slot `i & (capacity - 1)`. The producer writes a record, then publishes it
 * with `Atomics.store(write index)` (a release); the consumer reads the index
 * with `Atomics.load` (an acquire) before touching the records, and releases
 * the slots with `Atomics.store(read index)` once it has read them.
 *
 * Overflow: `push` never blocks and never overwrites unread records; it
 * returns false when `capacity` records are waiting. The producer then keeps
 * the newest value per key aside and retries (see `src/engine/param-writer.ts`),
 * so a full ring delays a fader, it never loses its final value.
 *
 * Without cross-origin isolation the same layout lives in a plain
 * ArrayBuffer on each side and records travel in port messages instead.
 */

const WRITE_INDEX = 0; // i32 word 0 (byte 0)
const READ_INDEX = 16; // i32 word 16 (byte 64)
/** Bytes before the first record. */
export const RING_HEADER_BYTES = 128;
/** Bytes per record: key u32, value f32, stamp u32. */
export const RING_RECORD_BYTES = 12;
const RECORD_WORDS = 3;

/** Bytes needed for a ring of `capacity` records. */
export function ringByteLength(capacity: number): number {
  return RING_HEADER_BYTES + capacity * RING_RECORD_BYTES;
}

/** Receives drained records; an object (not a closure) so draining allocates nothing. */
export interface RingSink {
  onEvent(key: number, value: number, stamp: number): void;
}

/** Both ends of the ring share this view over the buffer. */
export class ParamRing {
  /** The shared (or, in the fallback, private) storage. */
  readonly buffer: SharedArrayBuffer | ArrayBuffer;
  /** Records the ring holds at most (a power of two). */
  readonly capacity: number;
  private readonly header: Int32Array;
  private readonly keys: Uint32Array;
  private readonly values: Float32Array;
  private readonly mask: number;

  constructor(buffer: SharedArrayBuffer | ArrayBuffer) {
    const capacity = (buffer.byteLength - RING_HEADER_BYTES) / RING_RECORD_BYTES;
    if (!Number.isInteger(capacity) || capacity < 2 || (capacity & (capacity - 1)) !== 0) {
      throw new RangeError(`param ring: ${buffer.byteLength} bytes is not a header plus a power-of-two number of records`);
    }
    this.buffer = buffer;
    this.capacity = capacity;
    this.mask = capacity - 1;
    this.header = new Int32Array(buffer, 0, RING_HEADER_BYTES / 4);
    // keys and stamps are read through the u32 view, values through the f32 view of the same words.
    this.keys = new Uint32Array(buffer, RING_HEADER_BYTES, capacity * RECORD_WORDS);
    this.values = new Float32Array(buffer, RING_HEADER_BYTES, capacity * RECORD_WORDS);
  }

  /** A new ring in shared memory (or a plain ArrayBuffer when `shared` is false). */
  static create(capacity: number, shared: boolean): ParamRing {
    const bytes = ringByteLength(capacity);
    return new ParamRing(shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes));
  }

  /** Records waiting to be drained. Either side may ask. */
  available(): number {
    return (Atomics.load(this.header, WRITE_INDEX) - Atomics.load(this.header, READ_INDEX)) >>> 0;
  }

  /** Free record slots, as the producer sees them. */
  space(): number {
    return this.capacity - this.available();
  }

  /**
   * Producer only. Appends one record; false (and nothing written) when the
   * ring is full. Wait-free: a bounded number of steps, no locks.
   */
  push(key: number, value: number, stamp: number): boolean {
    const write = Atomics.load(this.header, WRITE_INDEX);
    const read = Atomics.load(this.header, READ_INDEX);
    if (((write - read) >>> 0) >= this.capacity) return false;
    const at = (write & this.mask) * RECORD_WORDS;
    this.keys[at] = key >>> 0;
    this.values[at + 1] = value;
    this.keys[at + 2] = stamp >>> 0;
    Atomics.store(this.header, WRITE_INDEX, (write + 1) | 0); // publish (release)
    return true;
  }

  /**
   * Consumer only. Hands every waiting record to `sink`, oldest first, then
   * frees their slots. Allocates nothing; returns how many were drained.
   */
  drain(sink: RingSink): number {
    const write = Atomics.load(this.header, WRITE_INDEX); // acquire
    let read = Atomics.load(this.header, READ_INDEX);
    const count = (write - read) >>> 0;
    for (let i = 0; i < count; i++) {
      const at = (read & this.mask) * RECORD_WORDS;
      sink.onEvent(this.keys[at]!, this.values[at + 1]!, this.keys[at + 2]!);
      read = (read + 1) | 0;
    }
    Atomics.store(this.header, READ_INDEX, read); // release the slots
    return count;
  }
}
