// `filter`: one 2-pole filter with the RBJ cookbook responses, run as
// Simper's SVF (identical magnitude, robust to modulation), stereo in one
// f32x4 lane pair. While cutoff or Q move, they glide geometrically (~5 ms)
// and the coefficients follow every SUB frames.
// Params: 0 mode (lowpass, highpass, bandpass, notch, allpass), 1 cutoff Hz, 2 q.
import { P_CUR, P_FRESH, P_STATE, P_TARGET } from '../layout';
import { svfDesign, svfRun, svfRun2, svfRun4 } from '../dsp';
import { sampleRate } from '../state';

const SUB: i32 = 16;

function design(p: usize): void {
  svfDesign(p + P_STATE, <i32>Mathf.round(load<f32>(p, P_CUR)), <f64>load<f32>(p, P_CUR + 4), <f64>Mathf.max(0.01, load<f32>(p, P_CUR + 8)), <f64>sampleRate);
}

/** Moves a positive param geometrically toward its target; true while it moves. */
function glide(a: usize, k: f64): bool {
  const cur = <f64>load<f32>(a, P_CUR), target = <f64>load<f32>(a, P_TARGET);
  if (cur == target) return false;
  const r = Math.log(Math.max(1e-6, target) / Math.max(1e-6, cur));
  store<f32>(a, Math.abs(r) < 1e-4 ? <f32>target : <f32>(cur * Math.exp(r * k)), P_CUR);
  return true;
}

export function filterProcess(p: usize, buf: usize, n: i32): void {
  if (load<i32>(p, P_FRESH) != 0) {
    memory.copy(p + P_CUR, p + P_TARGET, 12);
    design(p);
  }
  if (load<f32>(p, P_CUR) != load<f32>(p, P_TARGET)) {
    store<f32>(p, load<f32>(p, P_TARGET), P_CUR);
    design(p);
  }
  const k = 1.0 - Math.exp(-<f64>SUB / (0.005 * <f64>sampleRate));
  let from = 0;
  while (from < n) {
    const moving = glide(p + 4, k) | glide(p + 8, k);
    if (!moving) break;
    design(p);
    svfRun(p + P_STATE, buf, from, from + SUB);
    from += SUB;
  }
  svfRun(p + P_STATE, buf, from, n);
}

/** True when the filter can run in a fused pair: params settled, already running. */
export function filterSettled(p: usize): bool {
  return load<i32>(p, P_FRESH) == 0 && load<f32>(p, P_CUR) == load<f32>(p, P_TARGET)
    && load<f32>(p, P_CUR + 4) == load<f32>(p, P_TARGET + 4) && load<f32>(p, P_CUR + 8) == load<f32>(p, P_TARGET + 8);
}

/** Two settled filters back to back, in one pass. */
export function filterPairProcess(a: usize, b: usize, buf: usize, n: i32): void {
  svfRun2(a + P_STATE, b + P_STATE, buf, n);
}


/** Four settled filters back to back, in one pass (two stages per vector). */
export function filterQuadProcess(a: usize, b: usize, c: usize, d: usize, buf: usize, n: i32): void {
  svfRun4(a + P_STATE, b + P_STATE, c + P_STATE, d + P_STATE, buf, n);
}
