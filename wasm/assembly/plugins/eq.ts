// `eq`: RBJ low shelf (S = 1), two peaking bands, RBJ high shelf (S = 1).
// Params: 0 low_freq 1 low_gain 2 mid1_freq 3 mid1_gain 4 mid1_q
//         5 mid2_freq 6 mid2_gain 7 mid2_q 8 high_freq 9 high_gain.
// A band at exactly 0 dB is the identity, so it is skipped (and its state cleared).
import { P_STATE } from '../layout';
import { BQ_BYTES, bqDesignPeak, bqDesignShelf, bqReset, bqRun, bqRun2 } from '../dsp';
import { param, smoothParams } from '../params';
import { sampleRate } from '../state';

// State: four biquad stages, then i32 bitmask of active bands.
const MASK: i32 = 4 * BQ_BYTES;

export function eqProcess(p: usize, buf: usize, n: i32): void {
  const st = p + P_STATE;
  if (smoothParams(p, 10, 0)) {
    const fs = <f64>sampleRate;
    let mask = 0;
    const g0 = param(p, 1), g1 = param(p, 3), g2 = param(p, 6), g3 = param(p, 9);
    if (g0 != 0) { mask |= 1; bqDesignShelf(st, false, <f64>param(p, 0), <f64>g0, fs); }
    if (g1 != 0) { mask |= 2; bqDesignPeak(st + BQ_BYTES, <f64>param(p, 2), <f64>g1, <f64>Mathf.max(0.01, param(p, 4)), fs); }
    if (g2 != 0) { mask |= 4; bqDesignPeak(st + 2 * BQ_BYTES, <f64>param(p, 5), <f64>g2, <f64>Mathf.max(0.01, param(p, 7)), fs); }
    if (g3 != 0) { mask |= 8; bqDesignShelf(st + 3 * BQ_BYTES, true, <f64>param(p, 8), <f64>g3, fs); }
    const old = load<i32>(st, MASK);
    for (let b = 0; b < 4; b++) if ((old >> b) & 1 && !((mask >> b) & 1)) bqReset(st + b * BQ_BYTES);
    store<i32>(st, mask, MASK);
  }
  const mask = load<i32>(st, MASK);
  if ((mask & 3) == 3) bqRun2(st, st + BQ_BYTES, buf, n);
  else {
    if (mask & 1) bqRun(st, buf, n);
    if (mask & 2) bqRun(st + BQ_BYTES, buf, n);
  }
  if ((mask & 12) == 12) bqRun2(st + 2 * BQ_BYTES, st + 3 * BQ_BYTES, buf, n);
  else {
    if (mask & 4) bqRun(st + 2 * BQ_BYTES, buf, n);
    if (mask & 8) bqRun(st + 3 * BQ_BYTES, buf, n);
  }
}
