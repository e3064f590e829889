// `filter`: one 2-pole filter with the RBJ cookbook responses, run as
// Simper's SVF (identical magnitude, robust to modulation), stereo in one
// f32x4 lane pair. While cutoff or Q move, they glide geometrically (~5 ms)
// and the coefficients follow every SUB frames. A mode change crossfades
// linearly over the 5 ms ramp: every mode reads the same SVF states, so the
// output weights move from the old mode's to the new one's frame by frame.
// Params: 0 mode (lowpass, highpass, bandpass, notch, allpass), 1 cutoff Hz, 2 q.
import { P_CUR, P_FRESH, P_STATE, P_TARGET } from '../layout';
import { SVF_BYTES, svfDesignWeights, svfModeWeight, svfRun, svfRun2, svfRun4 } from '../dsp';
import { rampSamples, sampleRate } from '../state';

const SUB: i32 = 16;
// State after the SVF stage: the weights (m0, c1, m2) faded out, then how far
// the fade to the mode in P_CUR has gone (1 = done).
const FROM: i32 = SVF_BYTES;
const FADE: i32 = SVF_BYTES + 12;

function design(p: usize): void {
  const st = p + P_STATE;
  const mode = <i32>Mathf.round(load<f32>(p, P_CUR));
  const f0 = <f64>load<f32>(p, P_CUR + 4), q = <f64>Mathf.max(0.01, load<f32>(p, P_CUR + 8)), fs = <f64>sampleRate;
  const t = <f64>load<f32>(st, FADE);
  if (t >= 1) {
    svfDesignWeights(st, svfModeWeight(mode, 0), svfModeWeight(mode, 1), svfModeWeight(mode, 2), f0, q, fs);
    return;
  }
  svfDesignWeights(st, blend(st, mode, 0, t), blend(st, mode, 1, t), blend(st, mode, 2, t), f0, q, fs);
}

/** Weight `w` of the output `t` of the way from the faded-out weights to mode `mode`'s. */
function blend(st: usize, mode: i32, w: i32, t: f64): f64 {
  const from = <f64>load<f32>(st + (<usize>w << 2), FROM);
  return from + (svfModeWeight(mode, w) - from) * t;
}

/** Starts a crossfade from what is heard now (possibly a fade itself) to the target mode. */
function startModeFade(p: usize): void {
  const st = p + P_STATE;
  const mode = <i32>Mathf.round(load<f32>(p, P_CUR));
  const t = <f64>Math.min(1, <f64>load<f32>(st, FADE));
  for (let w = 0; w < 3; w++) store<f32>(st + (<usize>w << 2), <f32>blend(st, mode, w, t), FROM);
  store<f32>(st, 0, FADE);
  store<f32>(p, load<f32>(p, P_TARGET), P_CUR);
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
  const st = p + P_STATE;
  if (load<i32>(p, P_FRESH) != 0) {
    memory.copy(p + P_CUR, p + P_TARGET, 12);
    store<f32>(st, 1, FADE);
    design(p);
  }
  if (load<f32>(p, P_CUR) != load<f32>(p, P_TARGET)) {
    startModeFade(p);
    design(p);
  }
  const k = 1.0 - Math.exp(-<f64>SUB / (0.005 * <f64>sampleRate));
  const step = <f32>1 / <f32>rampSamples;
  let from = 0;
  while (from < n) {
    const moving = glide(p + 4, k) | glide(p + 8, k);
    if (load<f32>(st, FADE) < 1) {
      for (let i = from; i < from + SUB; i++) {
        store<f32>(st, Mathf.min(1, load<f32>(st, FADE) + step), FADE);
        design(p);
        svfRun(st, buf, i, i + 1);
      }
    } else {
      if (!moving) break;
      design(p);
      svfRun(st, buf, from, from + SUB);
    }
    from += SUB;
  }
  svfRun(st, buf, from, n);
}

/** True when the filter can run in a fused pair: params settled, no mode fade, already running. */
export function filterSettled(p: usize): bool {
  return load<i32>(p, P_FRESH) == 0 && load<f32>(p, P_CUR) == load<f32>(p, P_TARGET)
    && load<f32>(p, P_CUR + 4) == load<f32>(p, P_TARGET + 4) && load<f32>(p, P_CUR + 8) == load<f32>(p, P_TARGET + 8)
    && load<f32>(p + P_STATE, FADE) >= 1;
}

/** Two settled filters back to back, in one pass. */
export function filterPairProcess(a: usize, b: usize, buf: usize, n: i32): void {
  svfRun2(a + P_STATE, b + P_STATE, buf, n);
}


/** Four settled filters back to back, in one pass (two stages per vector). */
export function filterQuadProcess(a: usize, b: usize, c: usize, d: usize, buf: usize, n: i32): void {
  svfRun4(a + P_STATE, b + P_STATE, c + P_STATE, d + P_STATE, buf, n);
}
