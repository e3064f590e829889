/**
 * How a local op leaves for the relay: an in-gesture value goes out as an
 * ephemeral frame (newest per control, once per animation frame, through
 * the {@link GestureStream}) and says, once per control, that this member is
 * touching it; a durable op is queued in the session (after settling the
 * gesture it ends), and a gesture's final op releases the control in
 * presence after its own frame.
 */
import type { StampedOp } from '../model/index.ts';
import { controlKey, controlTarget } from '../protocol/controls.ts';
import { GestureStream } from './gesture-stream.ts';
import type { SyncSession } from './sync-session.ts';

/** Routes the local ops of the open session to its {@link SyncSession}. */
export class LocalOps {
  /** The control this member is touching (its key), as presence last said it. */
  #touching: string | null = null;
  readonly #gestures: GestureStream;

  constructor(private readonly session: () => SyncSession | null) {
    this.#gestures = new GestureStream((op) => this.session()?.sendEphemeral(op));
  }

  /** A new session is followed: nothing is being touched in it yet. */
  reset(): void {
    this.#touching = null;
  }

  /** Ships one local op that was applied. */
  route(op: StampedOp, ephemeral: boolean): void {
    const session = this.session();
    if (!session) return;
    const key = controlKey(op);
    if (ephemeral) {
      this.#gestures.push(op);
      if (key !== this.#touching) {
        this.#touching = key;
        session.sendPresence(controlTarget(op));
      }
      return;
    }
    this.#gestures.settle(op);
    session.submit(op);
    if (key !== null && key === this.#touching) {
      this.#touching = null;
      // After the final op's frame (sent in a microtask), so nobody sees the release before the value.
      queueMicrotask(() => session.sendPresence(null));
    }
  }
}
