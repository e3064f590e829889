/**
 * Client-side pacing under the relay's message rate (SPEC §7: 100 frames/s
 * per socket by default, announced in WELCOME as `max_messages_per_second`).
 *
 * The relay counts frames in fixed one-second windows. Keeping every sliding
 * window of {@link WINDOW_MS} under the share the outbox may use keeps every
 * fixed window under the limit too, with room left for presence, heartbeats
 * and in-gesture values (sent unpaced: they are best effort) and for frames
 * that bunch up on the way.
 */

/** The sliding window the client counts frames in: a little longer than the relay's one second. */
export const WINDOW_MS = 1_100;
/** Share of the relay's limit the outbox flush may use. */
const OUTBOX_SHARE = 0.5;

/** Counts the frames sent over the last {@link WINDOW_MS} and says when the outbox may send again. */
export class SendWindow {
  /** Send times, oldest first, within the window. */
  readonly #sent: number[] = [];
  #limit: number;

  constructor(limitPerSecond: number, private readonly now: () => number = Date.now) {
    this.#limit = limitPerSecond;
  }

  /** The relay's limit changed (WELCOME). */
  setLimit(limitPerSecond: number): void {
    this.#limit = limitPerSecond;
  }

  /** Frames the outbox flush may still send in this window. */
  room(): number {
    this.#expire();
    return Math.max(0, Math.floor(this.#limit * OUTBOX_SHARE) - this.#sent.length);
  }

  /** Records one frame sent (any frame: they all count at the relay). */
  record(): void {
    this.#sent.push(this.now());
  }

  /** Milliseconds until {@link room} grows (0 when there is room now). */
  wait(): number {
    if (this.room() > 0) return 0;
    return Math.max(1, this.#sent[0]! + WINDOW_MS - this.now());
  }

  #expire(): void {
    const from = this.now() - WINDOW_MS;
    let drop = 0;
    while (drop < this.#sent.length && this.#sent[drop]! <= from) drop += 1;
    if (drop) this.#sent.splice(0, drop);
  }
}
