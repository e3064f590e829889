// The mixer stage of a track: fader target (gain, balance, mute, solo) and
// one pass that applies the fader, measures the meters and sums to master.
import { MASTER, SOURCE_BUS, T_GAIN_DB, T_LIN, T_LIN_DB, T_MS, T_MUTE, T_PAN, T_RAMP, T_SOLO, T_SOURCE } from './layout';
import { masterAccPtr, meterFall, meterRms, metersPtr } from './state';
import { dbToLin } from './dsp';
import { rampTarget } from './ramp';

/** Meter levels from the block's peak and sum of squares (post-fader). */
function storeMeter(t: i32, tp: usize, pk: v128, ss: v128, n: i32): void {
  const peak = Mathf.max(f32x4.extract_lane(pk, 0), f32x4.extract_lane(pk, 1));
  const ms = Mathf.max(f32x4.extract_lane(ss, 0), f32x4.extract_lane(ss, 1)) / <f32>n;
  // Peak falls back at 20 dB/s; RMS is a 300 ms average.
  const mp = metersPtr + <usize>(t << 3);
  store<f32>(mp, Mathf.max(peak, load<f32>(mp) * meterFall));
  let avg = load<f32>(tp, T_MS);
  avg += (ms - avg) * meterRms;
  if (avg < 1e-20) avg = 0;
  store<f32>(tp, avg, T_MS);
  store<f32>(mp, Mathf.sqrt(avg), 4);
}

/**
 * Fader, meter and (for tracks) the master sum in one pass: the gain ramps
 * per sample while moving, else it is one multiply.
 */
export function faderMeterSum(t: i32, tp: usize, buf: usize, n: i32, sum: bool): void {
  const r = tp + T_RAMP;
  let g = v128.load(r, 0);
  let left = load<i32>(r, 32);
  let pk = f32x4.splat(0), ss = f32x4.splat(0);
  let i = 0;
  if (left > 0) {
    const step = v128.load(r, 16);
    const target = f32x4(load<f32>(r, 36), load<f32>(r, 40), 0, 0);
    for (; i < n && left > 0; i++) {
      // Counted back from the target, so rounding cannot accumulate along the ramp.
      left--;
      g = f32x4.sub(target, f32x4.mul(step, f32x4.splat(<f32>left)));
      const o = <usize>i << 4;
      const x = f32x4.mul(v128.load(buf + o), g);
      v128.store(buf + o, x);
      pk = f32x4.pmax(pk, f32x4.abs(x));
      ss = f32x4.add(ss, f32x4.mul(x, x));
      if (sum) v128.store(masterAccPtr + o, f32x4.add(v128.load(masterAccPtr + o), x));
    }
    store<i32>(r, left, 32);
    v128.store(r, g, 0);
  }
  // Steady gain: four frames per step with four partial peaks and sums, so
  // the accumulators' add latency does not serialise the loop.
  let pk1 = pk, pk2 = f32x4.splat(0), pk3 = f32x4.splat(0), pk4 = f32x4.splat(0);
  let ss1 = ss, ss2 = f32x4.splat(0), ss3 = f32x4.splat(0), ss4 = f32x4.splat(0);
  for (; i < n && (i & 3) != 0; i++) {
    const o = <usize>i << 4;
    const x = f32x4.mul(v128.load(buf + o), g);
    v128.store(buf + o, x);
    pk1 = f32x4.pmax(pk1, f32x4.abs(x));
    ss1 = f32x4.add(ss1, f32x4.mul(x, x));
    if (sum) v128.store(masterAccPtr + o, f32x4.add(v128.load(masterAccPtr + o), x));
  }
  for (; i + 4 <= n; i += 4) {
    const q = buf + (<usize>i << 4);
    const x1 = f32x4.mul(v128.load(q, 0), g), x2 = f32x4.mul(v128.load(q, 16), g);
    const x3 = f32x4.mul(v128.load(q, 32), g), x4 = f32x4.mul(v128.load(q, 48), g);
    v128.store(q, x1, 0); v128.store(q, x2, 16); v128.store(q, x3, 32); v128.store(q, x4, 48);
    pk1 = f32x4.pmax(pk1, f32x4.abs(x1)); pk2 = f32x4.pmax(pk2, f32x4.abs(x2));
    pk3 = f32x4.pmax(pk3, f32x4.abs(x3)); pk4 = f32x4.pmax(pk4, f32x4.abs(x4));
    ss1 = f32x4.add(ss1, f32x4.mul(x1, x1)); ss2 = f32x4.add(ss2, f32x4.mul(x2, x2));
    ss3 = f32x4.add(ss3, f32x4.mul(x3, x3)); ss4 = f32x4.add(ss4, f32x4.mul(x4, x4));
    if (sum) {
      const m = masterAccPtr + (<usize>i << 4);
      v128.store(m, f32x4.add(v128.load(m, 0), x1), 0);
      v128.store(m, f32x4.add(v128.load(m, 16), x2), 16);
      v128.store(m, f32x4.add(v128.load(m, 32), x3), 32);
      v128.store(m, f32x4.add(v128.load(m, 48), x4), 48);
    }
  }
  for (; i < n; i++) {
    const o = <usize>i << 4;
    const x = f32x4.mul(v128.load(buf + o), g);
    v128.store(buf + o, x);
    pk1 = f32x4.pmax(pk1, f32x4.abs(x));
    ss1 = f32x4.add(ss1, f32x4.mul(x, x));
    if (sum) v128.store(masterAccPtr + o, f32x4.add(v128.load(masterAccPtr + o), x));
  }
  pk = f32x4.pmax(f32x4.pmax(pk1, pk2), f32x4.pmax(pk3, pk4));
  ss = f32x4.add(f32x4.add(ss1, ss2), f32x4.add(ss3, ss4));
  storeMeter(t, tp, pk, ss, n);
}

export function faderTarget(t: i32, tp: usize, anySolo: bool): void {
  const isBus = load<i32>(tp, T_SOURCE) == SOURCE_BUS;
  const soloMuted = anySolo && t != MASTER && !isBus && load<i32>(tp, T_SOLO) == 0;
  const audible = load<i32>(tp, T_MUTE) == 0 && !soloMuted;
  const db = load<f32>(tp, T_GAIN_DB);
  if (db != load<f32>(tp, T_LIN_DB)) {
    store<f32>(tp, db, T_LIN_DB);
    store<f32>(tp, dbToLin(db), T_LIN);
  }
  const g: f32 = audible ? load<f32>(tp, T_LIN) : 0;
  const pan = load<f32>(tp, T_PAN);
  rampTarget(tp + T_RAMP, g * Mathf.min(1, 1 - pan), g * Mathf.min(1, 1 + pan), false);
}
