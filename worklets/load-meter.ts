/**
 * Measures, inside the AudioWorklet, how much of each render quantum's time
 * budget the engine uses.
 *
 * AudioWorkletGlobalScope has no `performance.now()` (Chromium 150 neither),
 * only `Date.now()` with 1 ms steps. A reading is `end - start` in whole
 * milliseconds; since quanta start at instants unrelated to the millisecond
 * ticks, it is an unbiased (dithered) estimate of the true time, and the
 * mean over a window is accurate to a few percent of the budget.
 *
 * REAL-TIME NOTE: `Date.now()` is a V8 builtin whose result is a boxed heap
 * number, 16 bytes per call: the one allocation in the render loop. So only
 * one quantum in `stride` is timed (a systematic sample, still unbiased):
 * with the default stride of 4 that is 8 bytes per quantum on average, about
 * 3 kB/s, a young-generation scavenge of dead objects every few minutes. The
 * clock is injectable for tests and for browsers that offer a better one.
 */
export class LoadMeter {
  /** Mean share of the budget over the last complete window, 0..1+ . */
  mean = 0;
  /** Highest window mean since start. */
  peak = 0;
  private overruns = 0;
  private readonly budgetMs: number;
  private readonly window: number;
  private readonly stride: number;
  private readonly now: () => number;
  private sum = 0;
  private samples = 0;
  private quanta = 0;
  private started = 0;
  private timing = false;

  /**
   * @param budgetMs the render quantum's duration, 128 / sampleRate * 1000
   * @param window quanta per window
   * @param stride time one quantum in this many
   * @param now a millisecond clock
   */
  constructor(budgetMs: number, window: number, stride: number, now: () => number) {
    this.budgetMs = budgetMs;
    this.window = window;
    this.stride = stride;
    this.now = now;
  }

  /** Call first thing in process(). */
  begin(): void {
    this.timing = this.quanta % this.stride === 0;
    if (this.timing) this.started = this.now();
  }

  /** Call last thing in process(); returns true when a window just completed. */
  end(): boolean {
    if (this.timing) {
      const elapsed = this.now() - this.started;
      this.sum += elapsed;
      this.samples++;
      if (elapsed > this.budgetMs) this.overruns++;
    }
    if (++this.quanta < this.window) return false;
    this.mean = this.samples > 0 ? this.sum / (this.samples * this.budgetMs) : 0;
    if (this.mean > this.peak) this.peak = this.mean;
    this.sum = 0;
    this.samples = 0;
    this.quanta = 0;
    return true;
  }

  /** Takes (and resets) the count of timed quanta over budget since the last call. */
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
