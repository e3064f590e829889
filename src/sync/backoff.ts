/** Reconnect timing: exponential with full jitter, capped. */
export interface BackoffOptions {
  /** First delay, ms. */
  readonly baseMs: number;
  /** Largest delay, ms. */
  readonly capMs: number;
  /** 0..1; tests pass a fixed source. */
  readonly random: () => number;
  /**
   * Largest delay while the relay was reachable within the last `recentMs`:
   * a relay that was just there most likely restarts or the network blips,
   * so it is probed often until it answers (the exponential cap is for a
   * relay that has been gone a while).
   */
  readonly recentCapMs?: number;
  readonly recentMs?: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 500, capMs: 30_000, random: Math.random, recentCapMs: 2_000, recentMs: 120_000 };

/**
 * The delay before reconnect attempt `attempt` (0 = the first retry).
 * "Equal jitter": half the exponential step is fixed, half random, so a
 * crowd of tablets that lost the relay together does not come back in one
 * burst, yet no client retries at once in a tight loop. `sinceReachableMs`:
 * time since a connection to the relay was last open (see `recentCapMs`).
 */
export function backoffDelay(attempt: number, options: BackoffOptions = DEFAULT_BACKOFF, sinceReachableMs = Infinity): number {
  const recent = options.recentCapMs !== undefined && sinceReachableMs < (options.recentMs ?? 0);
  const cap = recent ? Math.min(options.capMs, options.recentCapMs!) : options.capMs;
  const step = Math.min(cap, options.baseMs * 2 ** Math.min(attempt, 30));
  return Math.min(cap, step / 2 + (step / 2) * options.random());
}
