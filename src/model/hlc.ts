import type { Hlc } from '../protocol/ids.ts';

/**
 * Hybrid logical clock (Kulkarni et al.): wall time in ms, a counter for
 * events within the same ms, and the node id as the final tie-break. The
 * string form `<15-digit ms>:<5-digit counter>:<node>` sorts in clock order,
 * so comparing stamps is comparing strings.
 */
const WALL_DIGITS = 15;
const COUNTER_DIGITS = 5;
const MAX_COUNTER = 10 ** COUNTER_DIGITS - 1;

interface HlcParts {
  readonly wall: number;
  readonly counter: number;
  readonly node: string;
}

/** Formats clock parts as a sortable stamp. */
export function formatHlc({ wall, counter, node }: HlcParts): Hlc {
  return `${String(wall).padStart(WALL_DIGITS, '0')}:${String(counter).padStart(COUNTER_DIGITS, '0')}:${node}`;
}

/** Parses a stamp that matched `HLC_PATTERN`. */
export function parseHlc(hlc: Hlc): HlcParts {
  const [wall, counter, node] = hlc.split(':') as [string, string, string];
  return { wall: Number(wall), counter: Number(counter), node };
}

/** Orders two stamps: negative when `a` happened before `b`. */
export function compareHlc(a: Hlc, b: Hlc): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A node's clock: `now()` for local events, `observe()` for stamps received. */
export class HlcClock {
  private wall = 0;
  private counter = 0;

  constructor(
    /** URL-safe, at most 32 characters; unique per replica. */
    readonly node: string,
    private readonly physical: () => number = Date.now,
  ) {}

  /** A stamp later than every stamp this clock has issued or observed. */
  now(): Hlc {
    this.tick();
    return formatHlc({ wall: this.wall, counter: this.counter, node: this.node });
  }

  /** Moves the clock past a remote stamp, so later local stamps order after it. */
  observe(remote: Hlc): void {
    const { wall, counter } = parseHlc(remote);
    if (wall > this.wall || (wall === this.wall && counter > this.counter)) {
      this.wall = wall;
      this.counter = counter;
    }
  }

  private tick(): void {
    const physical = Math.floor(this.physical());
    if (physical > this.wall) {
      this.wall = physical;
      this.counter = 0;
    } else if (this.counter < MAX_COUNTER) {
      this.counter += 1;
    } else {
      // Counter exhausted within one ms: borrow the next ms rather than wrap.
      this.wall += 1;
      this.counter = 0;
    }
  }
}
