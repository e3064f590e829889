/**
 * The per-connection message rate (SPEC §7: 100 frames/s). A fixed one-second
 * window like rate-limiter-flexible's, but checked synchronously: the frame is
 * handled in the same tick it arrived, with no promise in between. On the
 * fan-out path that hop was a measurable share of the relay's latency over a
 * bare `ws` server (see `npx outboard bench relay`); per-address limits, where
 * a microtask does not matter, stay on rate-limiter-flexible (limits/guard.ts,
 * the HTTP API).
 */
export class MessageBudget {
  private windowStart = -Infinity;
  private used = 0;

  constructor(
    /** Frames allowed per window. */
    private readonly limit: number,
    private readonly windowMs = 1000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Counts one frame; false when it is over the budget (a BATCH is one frame). */
  take(): boolean {
    const t = this.now();
    if (t - this.windowStart >= this.windowMs) {
      this.windowStart = t;
      this.used = 0;
    }
    this.used += 1;
    return this.used <= this.limit;
  }
}
