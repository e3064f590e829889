import type { TakeoverMode } from '../../protocol/midi-mapping.ts';

/**
 * How far (in 0..1 of the travel) the hardware may be from the value and
 * still take it without an audible jump: 3/128, Mixxx's experimentally found
 * default for soft takeover.
 */
export const TAKEOVER_THRESHOLD = 3 / 128;
/**
 * Within this many milliseconds of the last accepted value, any value is
 * accepted, however far: a fast sweep on a slowly refreshing controller
 * skips over the value, and must not lose it (Mixxx's rule).
 */
export const FAST_SWEEP_MS = 50;

/**
 * Soft takeover for one absolute hardware control (positions 0..1 of the
 * travel). `move` answers the position to apply, or null to ignore the
 * hardware; `ghost` is where the hardware is while it is not in control.
 *
 * - `pickup`: ignored until the hardware crosses the value (or comes within
 *   the threshold); a first message already at the value is taken.
 * - `jump`: always taken.
 * - `scale`: the value moves the same way as the hardware, by the share of
 *   the travel left, so the two meet at the end stop (or wherever they
 *   cross); from there the hardware is in control.
 */
export class Takeover {
  #prev: number | null = null;
  #acceptedAt = Number.NEGATIVE_INFINITY;
  #ghost: number | null = null;

  constructor(readonly mode: TakeoverMode) {}

  /** The hardware's position while it does not control the value, else null. */
  get ghost(): number | null {
    return this.#ghost;
  }

  /** Forgets where the hardware was (a new mapping, a reconnected controller). */
  reset(): void {
    this.#prev = null;
    this.#acceptedAt = Number.NEGATIVE_INFINITY;
    this.#ghost = null;
  }

  /**
   * @param current the value's position now
   * @param incoming the hardware's position
   * @param now milliseconds (the MIDI event's timestamp)
   */
  move(current: number, incoming: number, now: number): number | null {
    const prev = this.#prev;
    this.#prev = incoming;
    if (this.mode === 'jump' || Math.abs(current - incoming) <= TAKEOVER_THRESHOLD) return this.#accept(incoming, now);
    if (prev === null) return this.#ignore(incoming);
    if (this.mode === 'scale') return this.#scale(current, prev, incoming, now);
    if (now < this.#acceptedAt + FAST_SWEEP_MS) return this.#accept(incoming, now);
    const before = current - prev;
    const after = current - incoming;
    // Crossed the value between two messages, or was at it a moment ago.
    if ((before < 0) !== (after < 0) || Math.abs(before) <= TAKEOVER_THRESHOLD) return this.#accept(incoming, now);
    return this.#ignore(incoming);
  }

  #scale(current: number, prev: number, incoming: number, now: number): number | null {
    if (Math.abs(current - prev) <= TAKEOVER_THRESHOLD) return this.#accept(incoming, now);
    const up = incoming > prev;
    const room = up ? 1 - prev : prev;
    if (room <= 0) return this.#ignore(incoming);
    const next = up ? current + ((incoming - prev) * (1 - current)) / room : current - ((prev - incoming) * current) / room;
    // Met or crossed on the way: the hardware has it.
    if ((current - prev) * (next - incoming) <= 0 || Math.abs(next - incoming) <= TAKEOVER_THRESHOLD) return this.#accept(incoming, now);
    this.#ghost = incoming;
    this.#acceptedAt = now;
    return Math.min(1, Math.max(0, next));
  }

  #accept(position: number, now: number): number {
    this.#acceptedAt = now;
    this.#ghost = null;
    return position;
  }

  #ignore(position: number): null {
    this.#ghost = position;
    return null;
  }
}
