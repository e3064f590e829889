/**
 * Resampling for file sources whose rate differs from the engine's (a CLI
 * render at another rate than its --sample files, Export WAV at another rate
 * than the device's): a windowed sinc, flat within 0.03 dB to 84% of the
 * lower rate's Nyquist (18.5 kHz at 44.1), -6 dB at 92%, at least 79 dB down
 * past it, so what lies above the new Nyquist does not fold back into the
 * audio band (linear interpolation dulled the top octave and folded a 96 kHz
 * file's ultrasonics down at full level). Sources loop in the engine, so the
 * kernel reads across the end into the start (a loop's seam stays seamless).
 */

/** Zero crossings of the sinc on each side of the centre. */
const ZERO_CROSSINGS = 32;
/** The cutoff as a fraction of the lower rate's Nyquist. */
const ROLLOFF = 0.92;
/** Kernel table entries per input sample (linearly interpolated between). */
const TABLE_STEPS = 512;

/** h(t) for t = 0, 1/TABLE_STEPS, ... up to the half-width: fc sinc(fc t) under a 4-term Blackman-Harris window. */
function kernelTable(fc: number, half: number): Float64Array {
  const table = new Float64Array(Math.ceil(half * TABLE_STEPS) + 2);
  for (let i = 0; i < table.length; i++) {
    const t = i / TABLE_STEPS;
    if (t >= half) break;
    const u = Math.PI * fc * t;
    const sinc = t === 0 ? 1 : Math.sin(u) / u;
    const p = (Math.PI * t) / half;
    table[i] = fc * sinc * (0.35875 + 0.48829 * Math.cos(p) + 0.14128 * Math.cos(2 * p) + 0.01168 * Math.cos(3 * p));
  }
  return table;
}

export function resample(input: Float32Array, from: number, to: number): Float32Array {
  if (from === to || input.length === 0) return input;
  const len = input.length;
  const n = Math.max(1, Math.round((len * to) / from));
  const out = new Float32Array(n);
  // Cutoff in cycles per input sample x 2, and the kernel's half-width in input samples.
  const fc = ROLLOFF * Math.min(1, to / from);
  const half = ZERO_CROSSINGS / fc;
  const table = kernelTable(fc, half);
  const step = from / to;
  for (let i = 0; i < n; i++) {
    const x = i * step;
    const first = Math.ceil(x - half), last = Math.floor(x + half);
    let acc = 0;
    for (let k = first; k <= last; k++) {
      const t = Math.abs(x - k) * TABLE_STEPS;
      const j = Math.floor(t);
      const a = table[j] as number;
      const h = a + ((table[j + 1] as number) - a) * (t - j);
      acc += (input[k >= 0 && k < len ? k : ((k % len) + len) % len] as number) * h;
    }
    out[i] = acc;
  }
  return out;
}
