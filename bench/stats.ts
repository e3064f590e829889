/** The middle value (upper middle for an even count): what the suites report on a noisy machine. */
export const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
