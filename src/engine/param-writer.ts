import { ParamRing } from '../../worklets/shared/param-ring.ts';

/** Where the ring's records go when the page is not cross-origin isolated. */
export interface RecordPoster {
  /** Sends a batch of records (the ring's record layout, `count` records). */
  post(records: ArrayBuffer, count: number): void;
}

/**
 * The main-thread producer of the UI -> audio event ring. It never blocks:
 * when the ring is full, the newest value per key waits in `pending` and is
 * retried on the next write or `flush()` (called every animation frame), so a
 * fader's final value always arrives and nothing grows without bound (one
 * entry per key at most).
 *
 * With shared memory the records go straight into the SharedArrayBuffer the
 * worklet drains each quantum. Without it, the same ring lives in a private
 * buffer here and is shipped as one port message per microtask.
 */
export class ParamWriter {
  private readonly ring: ParamRing;
  private readonly poster: RecordPoster | undefined;
  private readonly pending = new Map<number, number>();
  private readonly stampOf: () => number;
  private scheduled = false;

  /**
   * @param ring the shared ring, or a private one when `poster` is given
   * @param stampOf the worklet's quantum counter as last seen (for latency stamps)
   * @param poster the port fallback; absent when the ring is shared
   */
  constructor(ring: ParamRing, stampOf: () => number, poster?: RecordPoster) {
    this.ring = ring;
    this.stampOf = stampOf;
    this.poster = poster;
  }

  /** Queues one event; the audio thread applies it at its next render quantum. */
  write(key: number, value: number): void {
    if (this.pending.size > 0) {
      // Behind a backlog: keep only the newest value per key, moved to the
      // end so events keep their order (note on, off, on ends "on").
      this.pending.delete(key);
      this.pending.set(key, value);
      this.flush();
    } else if (!this.ring.push(key, value, this.stampOf())) {
      this.pending.set(key, value);
    }
    this.schedulePost();
  }

  /** Retries what a full ring refused, and posts (fallback). Call on requestAnimationFrame. */
  flush(): void {
    const stamp = this.stampOf();
    for (const [key, value] of this.pending) {
      if (!this.ring.push(key, value, stamp)) break;
      this.pending.delete(key);
    }
    this.schedulePost();
  }

  /** Takes the events still waiting for room in the ring (they will travel another way). */
  takeBacklog(): [number, number][] {
    const backlog = [...this.pending];
    this.pending.clear();
    return backlog;
  }

  /** Events still waiting for room in the ring. */
  get backlog(): number {
    return this.pending.size;
  }

  private schedulePost(): void {
    if (!this.poster || this.scheduled) return;
    this.scheduled = true;
    queueMicrotask(() => {
      this.scheduled = false;
      this.postNow();
    });
  }

  /** Fallback: moves every record in the private ring into one message. */
  private postNow(): void {
    const poster = this.poster;
    if (!poster) return;
    const count = this.ring.available();
    if (count === 0) return;
    const out = ParamRing.create(nextPowerOfTwo(count), false);
    this.ring.drain({ onEvent: (k, v, s) => void out.push(k, v, s) });
    poster.post(out.buffer as ArrayBuffer, count);
    if (this.pending.size > 0) this.flush();
  }
}

function nextPowerOfTwo(n: number): number {
  let p = 2;
  while (p < n) p *= 2;
  return p;
}
