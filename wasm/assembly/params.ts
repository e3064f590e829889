// Per-block parameter smoothing shared by every plugin: the current value
// follows the target with a ~5 ms one-pole and snaps once it is close, so a
// settled param is exactly the value the host wrote (filters then match the
// cookbook to the last bit). Choice params (the `discrete` bitmask) jump.
import { MAX_PARAMS, P_CUR, P_FRESH, P_TARGET } from './layout';
import { blockSmooth } from './state';

/**
 * Advances the smoothed params of plugin record `p`. Returns true when any
 * current value moved (the plugin must recompute what depends on them).
 */
export function smoothParams(p: usize, count: i32, discrete: i32): bool {
  if (load<i32>(p, P_FRESH) != 0) {
    memory.copy(p + P_CUR, p + P_TARGET, <usize>(MAX_PARAMS * 4));
    return true;
  }
  let moved = false;
  for (let i = 0; i < count; i++) {
    const a = p + (<usize>i << 2);
    const cur = load<f32>(a, P_CUR);
    const target = load<f32>(a, P_TARGET);
    if (cur == target) continue;
    moved = true;
    const diff = target - cur;
    if (((discrete >> i) & 1) != 0 || Mathf.abs(diff) <= 1e-5 * (Mathf.abs(target) + 1e-2)) {
      store<f32>(a, target, P_CUR);
    } else {
      store<f32>(a, cur + diff * blockSmooth, P_CUR);
    }
  }
  return moved;
}

/** Current (smoothed) value of param i. */
// @ts-ignore: decorator
@inline export function param(p: usize, i: i32): f32 {
  return load<f32>(p + (<usize>i << 2), P_CUR);
}

/** Target value of param i (what the host last wrote). */
// @ts-ignore: decorator
@inline export function paramTarget(p: usize, i: i32): f32 {
  return load<f32>(p + (<usize>i << 2), P_TARGET);
}
