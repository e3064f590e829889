/** The middle value (upper middle for an even count): what the suites report on a noisy machine. */
export const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
/** The `p`th percentile (0..100) of an ascending array; NaN when empty. */
export const percentile = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

/** p50 and p99 of a set of latencies (ms), and how many there were. */
export interface Latency {
  readonly p50: number;
  readonly p99: number;
  readonly samples: number;
}

/** Sorts `samples` in place and summarizes them. */
export function summarize(samples: number[]): Latency {
  const sorted = samples.sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99), samples: sorted.length };
}
