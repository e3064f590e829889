/**
 * Measures, inside the AudioWorklet, how much of each render quantum's time
 * budget the engine uses.
 *
 * AudioWorkletGlobalScope has no `performance.now()` (Chromium 150 neither),
 * only `Date.now()` with 1 ms steps, coarser than the 2.67 ms budget is
 * fine. Each quantum's reading is `end - start` in whole milliseconds; since
 * quanta start at instants unrelated to the millisecond ticks, the reading is
 * an unbiased (dithered) estimate of the true time, so the mean over a window
 * of a few hundred quanta is accurate to a few percent of the budget. That
 * window mean is the engine load. The clock is injectable so the estimator
 * can be tested, and so a browser that does expose `performance.now()` in
 * worklets gets microsecond readings.
 *
 * Allocation-free: two numbers per quantum, no arrays.
 */
export class LoadMeter {
  /** Window mean of the last complete window, 0..1+ of the budget. */
  mean = 0;
  /** Highest window mean since start. */
  peak = 0;
  /** Quanta (in the current window) whose reading exceeded the budget. */
  overruns = 0;
  private readonly budgetMs: number;
  private readonly window: number;
  private readonly now: () => number;
  private sum = 0;
  private count = 0;
  private started = 0;

  /**
   * @param budgetMs the render quantum's duration, 128 / sampleRate * 1000
   * @param window quanta per window (~0.25 s of audio is a readable meter)
   * @param now a millisecond clock
   */
  constructor(budgetMs: number, window: number, now: () => number) {
    this.budgetMs = budgetMs;
    this.window = window;
    this.now = now;
  }

  /** Call first thing in process(). */
  begin(): void {
    this.started = this.now();
  }

  /** Call last thing in process(); returns true when a window just completed. */
  end(): boolean {
    const elapsed = this.now() - this.started;
    this.sum += elapsed;
    if (elapsed > this.budgetMs) this.overruns++;
    if (++this.count < this.window) return false;
    this.mean = this.sum / (this.count * this.budgetMs);
    if (this.mean > this.peak) this.peak = this.mean;
    this.sum = 0;
    this.count = 0;
    return true;
  }

  /** Takes (and resets) the overrun count since the last call. */
  takeOverruns(): number {
    const n = this.overruns;
    this.overruns = 0;
    return n;
  }
}

/** The best millisecond clock the worklet scope offers. */
export function workletClock(): () => number {
  const perf = (globalThis as { performance?: { now(): number } }).performance;
  return perf ? () => perf.now() : Date.now;
}
