/** Reconnect timing: exponential with full jitter, capped. */
export interface BackoffOptions {
  /** First delay, ms. */
  readonly baseMs: number;
  /** Largest delay, ms. */
  readonly capMs: number;
  /** 0..1; tests pass a fixed source. */
  readonly random: () => number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 500, capMs: 30_000, random: Math.random };

/**
 * The delay before reconnect attempt `attempt` (0 = the first retry).
 * "Equal jitter": half the exponential step is fixed, half random, so a
 * crowd of tablets that lost the relay together does not come back in one
 * burst, yet no client retries at once in a tight loop.
 */
export function backoffDelay(attempt: number, options: BackoffOptions = DEFAULT_BACKOFF): number {
  const step = Math.min(options.capMs, options.baseMs * 2 ** Math.min(attempt, 30));
  return Math.min(options.capMs, step / 2 + (step / 2) * options.random());
}
