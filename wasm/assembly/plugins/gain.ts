// `gain`: level, balance (unity on both channels at centre) and polarity.
// Params: 0 gain_db, 1 pan, 2 invert. The linear gains ramp per sample.
import { P_FRESH, P_STATE } from '../layout';
import { dbToLin } from '../dsp';
import { paramTarget } from '../params';
import { rampApply, rampTarget } from '../ramp';

export function gainProcess(p: usize, buf: usize, n: i32): void {
  const g = dbToLin(paramTarget(p, 0));
  const pan = paramTarget(p, 1);
  const sign: f32 = paramTarget(p, 2) >= 0.5 ? -1 : 1;
  const l = g * sign * Mathf.min(1, 1 - pan);
  const r = g * sign * Mathf.min(1, 1 + pan);
  rampTarget(p + P_STATE, l, r, load<i32>(p, P_FRESH) != 0);
  rampApply(p + P_STATE, buf, n);
}
