import type { StampedOp } from '../model/index.ts';
import { controlKey } from '../protocol/controls.ts';

/** Schedules a callback for the next frame (rAF in a page, a 16 ms timer elsewhere). */
export type FrameScheduler = (callback: () => void) => void;

const defaultScheduler: FrameScheduler = (cb) => {
  if (typeof requestAnimationFrame === 'function') requestAnimationFrame(() => cb());
  else setTimeout(cb, 16);
};

/** In-gesture frames per second, all controls together: leaves room under the relay's 100 frames/s for durable ops and presence. */
export const GESTURE_FRAMES_PER_SECOND = 60;

/**
 * Coalesces in-gesture values: at most one frame per control per animation
 * frame, carrying the newest value, and no more than
 * {@link GESTURE_FRAMES_PER_SECOND} frames a second in all (a token bucket),
 * so four faders under four fingers share the budget instead of tripping
 * the relay's rate limit; a control that has to wait still sends its newest
 * value next.
 */
export class GestureStream {
  readonly #latest = new Map<string, StampedOp>();
  /** When each control last went out (a counter): the longest-waiting control goes first. */
  readonly #lastSent = new Map<string, number>();
  #sends = 0;
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
    if (key === null) return;
    this.#latest.delete(key);
    this.#lastSent.delete(key);
  }

  #flush(): void {
    this.#scheduled = false;
    const now = this.now();
    // A burst allowance of a tenth of a second keeps a lone fader at full frame rate.
    this.#tokens = Math.min(this.perSecond / 10, this.#tokens + ((now - this.#refilled) / 1000) * this.perSecond);
    this.#refilled = now;
    const queue = [...this.#latest.keys()].sort((a, b) => (this.#lastSent.get(a) ?? -1) - (this.#lastSent.get(b) ?? -1));
    for (const key of queue) {
      if (this.#tokens < 1) break;
      this.#tokens -= 1;
      const op = this.#latest.get(key)!;
      this.#latest.delete(key);
      this.#lastSent.set(key, (this.#sends += 1));
      this.send(op);
    }
    if (this.#lastSent.size > 256) this.#lastSent.clear();
    this.#arm();
  }
}
