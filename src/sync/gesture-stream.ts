import type { StampedOp } from '../model/index.ts';
import { controlKey } from '../protocol/controls.ts';
import { newId } from '../protocol/ids.ts';
import { MAX_BATCH_OPS, type Op } from '../protocol/ops.ts';

/** Schedules a callback for the next frame (rAF in a page, a 16 ms timer elsewhere). */
export type FrameScheduler = (callback: () => void) => void;

const defaultScheduler: FrameScheduler = (cb) => {
  if (typeof requestAnimationFrame === 'function') requestAnimationFrame(() => cb());
  else setTimeout(cb, 16);
};

/** In-gesture frames per second, all controls together: leaves room under the relay's 100 frames/s for durable ops and presence. */
export const GESTURE_FRAMES_PER_SECOND = 60;

/**
 * Coalesces in-gesture values: once per animation frame, one frame holds
 * the newest value of every control in motion (one op alone, several as a
 * BATCH, which the relay counts as one message), and no more than
 * {@link GESTURE_FRAMES_PER_SECOND} frames a second go out (a token bucket).
 * So four faders under four fingers each send at the display's 60 Hz, and a
 * frame that has to wait still carries every control's newest value next.
 */
export class GestureStream {
  readonly #latest = new Map<string, StampedOp>();
  #scheduled = false;
  #tokens: number;
  #refilled: number;

  constructor(
    private readonly send: (op: StampedOp) => void,
    private readonly schedule: FrameScheduler = defaultScheduler,
    private readonly perSecond = GESTURE_FRAMES_PER_SECOND,
    private readonly now: () => number = () => Date.now(),
  ) {
    this.#tokens = perSecond / 10;
    this.#refilled = now();
  }

  /** Queues the newest in-gesture value of a control; a value of several controls at once goes out as it is. */
  push(op: StampedOp): void {
    const key = controlKey(op);
    if (key === null) {
      this.send(op);
      return;
    }
    // Delete then set: the controls of a frame go in the order they last moved.
    this.#latest.delete(key);
    this.#latest.set(key, op);
    this.#arm();
  }

  #arm(): void {
    if (this.#scheduled || this.#latest.size === 0) return;
    this.#scheduled = true;
    this.schedule(() => this.#flush());
  }

  /** The gesture ended with a durable op: a queued in-gesture value must not land after it. */
  settle(op: StampedOp): void {
    const key = controlKey(op);
    if (key !== null) this.#latest.delete(key);
  }

  #flush(): void {
    this.#scheduled = false;
    const now = this.now();
    // A burst allowance of a tenth of a second absorbs frames that bunch up after a slow one.
    this.#tokens = Math.min(this.perSecond / 10, this.#tokens + ((now - this.#refilled) / 1000) * this.perSecond);
    this.#refilled = now;
    if (this.#tokens >= 1 && this.#latest.size > 0) {
      this.#tokens -= 1;
      const ops = [...this.#latest.values()].slice(0, MAX_BATCH_OPS);
      for (const op of ops) this.#latest.delete(controlKey(op)!);
      this.send(ops.length === 1 ? ops[0]! : batchOf(ops));
    }
    this.#arm();
  }
}

/** One BATCH of in-gesture values, each keeping its own stamp; the frame carries the newest. */
function batchOf(ops: readonly StampedOp[]): StampedOp {
  const hlc = ops.reduce((max, op) => (op.hlc > max ? op.hlc : max), ops[0]!.hlc);
  return { id: newId('gb'), type: 'BATCH', hlc, data: { ops: ops.map(({ id, type, data, hlc: h }) => ({ id, type, data, hlc: h }) as Op) } } as StampedOp;
}
