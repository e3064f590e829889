import type { StampedOp } from '../model/index.ts';
import { controlKey, type ControlKey } from '../protocol/controls.ts';
import { flatOps } from './wire.ts';

/**
 * Controls other members are moving in a gesture: their in-gesture values are
 * shown (and heard) here but are not in the relay's document until the
 * gesture's final, durable value arrives. A sender that vanishes without it
 * (a tablet's battery dies with a finger on a fader) would leave this device
 * on a value nobody else has, saved with the session for good; so when that
 * member leaves, the caller rebuilds the document from the relay's.
 */
export class RemoteGestures {
  /** Control -> the user whose in-gesture value it shows. */
  readonly #open = new Map<ControlKey, string>();

  /** Another member's in-gesture value moved `op`'s control. */
  moved(op: StampedOp, userId: string): void {
    const key = controlKey(op);
    if (key !== null) this.#open.set(key, userId);
  }

  /** A durable op (anyone's) settles the controls it sets. */
  settled(op: StampedOp): void {
    if (this.#open.size === 0) return;
    for (const one of flatOps(op)) {
      const key = controlKey(one);
      if (key !== null) this.#open.delete(key);
    }
  }

  /** `userId` has left: answers whether values of theirs were still open (and forgets them). */
  left(userId: string): boolean {
    let open = false;
    for (const [key, user] of this.#open) {
      if (user !== userId) continue;
      this.#open.delete(key);
      open = true;
    }
    return open;
  }

  /** The document was rebuilt from the relay's: nothing remote is open any more. */
  clear(): void {
    this.#open.clear();
  }
}
