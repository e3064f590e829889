import type { StampedOp } from '../model/index.ts';
import { controlKey } from '../protocol/controls.ts';
import { newId } from '../protocol/ids.ts';
import { MAX_BATCH_OPS, type Op } from '../protocol/ops.ts';

/** Schedules a callback: for the next animation frame, or for right after the current task. */
export type FrameScheduler = (callback: () => void) => void;

const defaultScheduler: FrameScheduler = (cb) => {
  if (typeof requestAnimationFrame === 'function') requestAnimationFrame(() => cb());
  else setTimeout(cb, 16);
};

/**
 * Right after the current task: a message to ourselves is a new task, so
 * every pointer event of one input (four fingers in one touch move) is in
 * before it runs, and no timer clamp delays it.
 */
const afterTask: FrameScheduler = (() => {
  if (typeof MessageChannel !== 'function') return (cb) => void setTimeout(cb, 0);
  const queue: (() => void)[] = [];
  let channel: MessageChannel | null = null;
  return (cb) => {
    if (!channel) {
      channel = new MessageChannel();
      channel.port1.onmessage = () => queue.shift()?.();
      // Node (tests): an open port must not keep the process alive.
      (channel.port1 as { unref?: () => void }).unref?.();
    }
    queue.push(cb);
    channel.port2.postMessage(null);
  };
})();

/** In-gesture frames per second, all controls together: leaves room under the relay's 100 frames/s for durable ops and presence. */
export const GESTURE_FRAMES_PER_SECOND = 60;

/**
 * Coalesces in-gesture values: one frame holds the newest value of every
 * control in motion (one op alone, several as a BATCH, which the relay
 * counts as one message), at most one such frame per animation frame and
 * no more than {@link GESTURE_FRAMES_PER_SECOND} a second (a token bucket).
 * So four faders under four fingers each send at the display's 60 Hz, and a
 * frame that has to wait still carries every control's newest value next.
 *
 * Leading edge: the first values of an animation frame leave as soon as the
 * input task that made them ends (every finger of one touch move is in by
 * then), not at the next animation frame: a value that arrives in frame N
 * leaves in frame N. Values that come after it in the same frame wait for
 * the frame callback, which opens the next frame.
 *
 * A frame is counted by the values it took in, not by when they left: when
 * the next frame begins before the input task's send could run (the page
 * renders first), its frame callback sends them as the send of the frame
 * they came in, and the new frame's own first move still leaves at once.
 * Counted by departure instead, that late send would hold the new frame's
 * move to the frame after, and each move after it in turn, up to a frame
 * late each while the finger keeps moving (the drag's tail in
 * `npx outboard bench surface`, issue 11).
 */
export class GestureStream {
  readonly #latest = new Map<string, StampedOp>();
  /** A frame callback is pending. */
  #framePending = false;
  /** An after-task flush is pending. */
  #taskPending = false;
  /** A frame went out since the last animation frame began: the next waits for it. */
  #sentThisFrame = false;
  #tokens: number;
  #refilled: number;

  constructor(
    private readonly send: (op: StampedOp) => void,
    private readonly schedule: FrameScheduler = defaultScheduler,
    private readonly perSecond = GESTURE_FRAMES_PER_SECOND,
    private readonly now: () => number = () => Date.now(),
    private readonly soon: FrameScheduler = afterTask,
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
    if (!this.#sentThisFrame && !this.#taskPending) {
      this.#taskPending = true;
      this.soon(() => {
        this.#taskPending = false;
        if (!this.#sentThisFrame) this.#flush();
      });
    }
    this.#armFrame();
  }

  /** The gesture ended with a durable op: a queued in-gesture value must not land after it. */
  settle(op: StampedOp): void {
    const key = controlKey(op);
    if (key !== null) this.#latest.delete(key);
  }

  /** A frame callback is wanted while values wait or a sent frame has to be closed. */
  #armFrame(): void {
    if (this.#framePending || (this.#latest.size === 0 && !this.#sentThisFrame)) return;
    this.#framePending = true;
    this.schedule(() => this.#onFrame());
  }

  #onFrame(): void {
    this.#framePending = false;
    // Values waiting from a frame that sent nothing are that frame's send, late: this frame stays open.
    const late = !this.#sentThisFrame;
    this.#sentThisFrame = false;
    this.#flush();
    if (late) this.#sentThisFrame = false;
    this.#armFrame();
  }

  #flush(): void {
    if (this.#latest.size === 0) return;
    const now = this.now();
    // A burst allowance of a tenth of a second absorbs frames that bunch up after a slow one.
    this.#tokens = Math.min(this.perSecond / 10, this.#tokens + ((now - this.#refilled) / 1000) * this.perSecond);
    this.#refilled = now;
    if (this.#tokens < 1) return;
    this.#tokens -= 1;
    this.#sentThisFrame = true;
    const ops = [...this.#latest.values()].slice(0, MAX_BATCH_OPS);
    for (const op of ops) this.#latest.delete(controlKey(op)!);
    this.send(ops.length === 1 ? ops[0]! : batchOf(ops));
  }
}

/** One BATCH of in-gesture values, each keeping its own stamp; the frame carries the newest. */
function batchOf(ops: readonly StampedOp[]): StampedOp {
  const hlc = ops.reduce((max, op) => (op.hlc > max ? op.hlc : max), ops[0]!.hlc);
  return { id: newId('gb'), type: 'BATCH', hlc, data: { ops: ops.map(({ id, type, data, hlc: h }) => ({ id, type, data, hlc: h }) as Op) } } as StampedOp;
}
