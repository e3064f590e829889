/**
 * Reference magnitudes straight from the RBJ Audio EQ Cookbook formulas, in
 * f64, independent of the engine: |H(e^jw)| of b0 + b1 z^-1 + b2 z^-2 over
 * a0 + a1 z^-1 + a2 z^-2.
 */
export interface Coefficients { b0: number; b1: number; b2: number; a0: number; a1: number; a2: number }

export function magnitude(c: Coefficients, f: number, fs: number): number {
  const w = (2 * Math.PI * f) / fs;
  const re = (k0: number, k1: number, k2: number) => k0 + k1 * Math.cos(w) + k2 * Math.cos(2 * w);
  const im = (k1: number, k2: number) => -(k1 * Math.sin(w) + k2 * Math.sin(2 * w));
  const num = Math.hypot(re(c.b0, c.b1, c.b2), im(c.b1, c.b2));
  const den = Math.hypot(re(c.a0, c.a1, c.a2), im(c.a1, c.a2));
  return num / den;
}

function basics(f0: number, q: number, fs: number) {
  const w0 = (2 * Math.PI * f0) / fs;
  return { cos: Math.cos(w0), alpha: Math.sin(w0) / (2 * q), sin: Math.sin(w0) };
}

export const FILTER_MODES = ['lowpass', 'highpass', 'bandpass', 'notch', 'allpass'] as const;

/** LPF, HPF, BPF (constant 0 dB peak gain), notch, APF. */
export function filterCoefficients(mode: (typeof FILTER_MODES)[number], f0: number, q: number, fs: number): Coefficients {
  const { cos, alpha } = basics(f0, q, fs);
  const a = { a0: 1 + alpha, a1: -2 * cos, a2: 1 - alpha };
  switch (mode) {
    case 'lowpass': return { b0: (1 - cos) / 2, b1: 1 - cos, b2: (1 - cos) / 2, ...a };
    case 'highpass': return { b0: (1 + cos) / 2, b1: -(1 + cos), b2: (1 + cos) / 2, ...a };
    case 'bandpass': return { b0: alpha, b1: 0, b2: -alpha, ...a };
    case 'notch': return { b0: 1, b1: -2 * cos, b2: 1, ...a };
    case 'allpass': return { b0: 1 - alpha, b1: -2 * cos, b2: 1 + alpha, ...a };
  }
}

export function peakingCoefficients(f0: number, gainDb: number, q: number, fs: number): Coefficients {
  const A = 10 ** (gainDb / 40);
  const { cos, alpha } = basics(f0, q, fs);
  return { b0: 1 + alpha * A, b1: -2 * cos, b2: 1 - alpha * A, a0: 1 + alpha / A, a1: -2 * cos, a2: 1 - alpha / A };
}

/** Shelves with shelf slope S = 1. */
export function shelfCoefficients(kind: 'low' | 'high', f0: number, gainDb: number, fs: number): Coefficients {
  const A = 10 ** (gainDb / 40);
  const w0 = (2 * Math.PI * f0) / fs;
  const cos = Math.cos(w0);
  const alpha = (Math.sin(w0) / 2) * Math.sqrt((A + 1 / A) * (1 / 1 - 1) + 2);
  const k = 2 * Math.sqrt(A) * alpha;
  if (kind === 'low') {
    return {
      b0: A * (A + 1 - (A - 1) * cos + k), b1: 2 * A * (A - 1 - (A + 1) * cos), b2: A * (A + 1 - (A - 1) * cos - k),
      a0: A + 1 + (A - 1) * cos + k, a1: -2 * (A - 1 + (A + 1) * cos), a2: A + 1 + (A - 1) * cos - k,
    };
  }
  return {
    b0: A * (A + 1 + (A - 1) * cos + k), b1: -2 * A * (A - 1 + (A + 1) * cos), b2: A * (A + 1 + (A - 1) * cos - k),
    a0: A + 1 - (A - 1) * cos + k, a1: 2 * (A - 1 - (A + 1) * cos), a2: A + 1 - (A - 1) * cos - k,
  };
}
