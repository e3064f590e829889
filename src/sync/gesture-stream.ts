import type { StampedOp } from '../model/index.ts';

/** Schedules a callback for the next frame (rAF in a page, a 16 ms timer elsewhere). */
export type FrameScheduler = (callback: () => void) => void;

const defaultScheduler: FrameScheduler = (cb) => {
  if (typeof requestAnimationFrame === 'function') requestAnimationFrame(() => cb());
  else setTimeout(cb, 16);
};

/** The control an in-gesture op moves: one param, or one field of a track. */
export function gestureKey(op: StampedOp): string | null {
  if (op.type === 'PLUGIN_PARAMETER') return `${op.data.track_id}/${op.data.plugin_id}/${op.data.parameter_id}`;
  if (op.type === 'UPDATE_TRACK') return `${op.data.track_id}//${Object.keys(op.data.changes).sort().join(',')}`;
  return null;
}

/**
 * Coalesces in-gesture values: at most one frame per control per animation
 * frame, carrying the newest value (SPEC §5: a tablet riding four faders at
 * 60 Hz stays under the relay's 100 messages/s per socket… per fader group).
 */
export class GestureStream {
  readonly #latest = new Map<string, StampedOp>();
  #scheduled = false;

  constructor(private readonly send: (op: StampedOp) => void, private readonly schedule: FrameScheduler = defaultScheduler) {}

  /** Queues the newest in-gesture value of a control. */
  push(op: StampedOp): void {
    const key = gestureKey(op);
    if (key === null) return;
    this.#latest.set(key, op);
    if (this.#scheduled) return;
    this.#scheduled = true;
    this.schedule(() => this.#flush());
  }

  /** The gesture ended with a durable op: a queued in-gesture value must not land after it. */
  settle(op: StampedOp): void {
    const key = gestureKey(op);
    if (key !== null) this.#latest.delete(key);
  }

  #flush(): void {
    this.#scheduled = false;
    const ops = [...this.#latest.values()];
    this.#latest.clear();
    for (const op of ops) this.send(op);
  }
}
