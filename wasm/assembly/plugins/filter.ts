// `filter`: one RBJ cookbook biquad, stereo in one f32x4 lane pair.
// Params: 0 mode (lowpass, highpass, bandpass, notch, allpass), 1 cutoff Hz, 2 q.
import { P_STATE } from '../layout';
import { bqDesignFilter, bqRun } from '../dsp';
import { param, smoothParams } from '../params';
import { sampleRate } from '../state';

export function filterProcess(p: usize, buf: usize, n: i32): void {
  if (smoothParams(p, 3, 1)) {
    bqDesignFilter(p + P_STATE, <i32>Mathf.round(param(p, 0)), <f64>param(p, 1), <f64>Mathf.max(0.01, param(p, 2)), <f64>sampleRate);
  }
  bqRun(p + P_STATE, buf, n);
}
