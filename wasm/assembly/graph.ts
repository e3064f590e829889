// The graph: sources -> chains -> faders -> sends and the master bus, one
// block at a time. Non-bus tracks run first in slot order, then bus tracks;
// a send only reaches a bus that has not run yet this block (no cycles).
import {
  BLOCK, MASTER, MAX_TRACKS, P_BYPASS, P_FRESH, P_REACHED, P_TYPE, P_WET,
  PLUGIN_CHORUS, PLUGIN_COMPRESSOR, PLUGIN_DELAY, PLUGIN_DRIVE, PLUGIN_EQ, PLUGIN_FILTER, PLUGIN_GAIN,
  PLUGIN_REVERB, PLUGIN_SYNTH, SEND_STRIDE, SOURCE_BUS, SOURCE_FILE, SOURCE_INPUT,
  T_ACTIVE, T_BUF, T_BUS, T_DONE, T_NEVENTS, T_NPLUG, T_NSENDS, T_SAMPLE_CH, T_SAMPLE_FRAMES, T_SAMPLE_PTR,
  T_SENDS, T_SOLO, T_SOURCE,
} from './layout';
import { dryPtr, inputPtr, masterAccPtr, outputPtr, playing, position, rampSamples, setPosition } from './state';
import { srampMixInto } from './ramp';
import { LR } from './dsp';
import { pluginPtr, trackPtr } from './records';
import { computeStepEvents, runSynth } from './notes';
import { faderMeterSum, faderTarget } from './mixer';
import { gainProcess } from './plugins/gain';
import { filterPairProcess, filterProcess, filterQuadProcess, filterSettled } from './plugins/filter';
import { eqProcess } from './plugins/eq';
import { compressorProcess } from './plugins/compressor';
import { delayProcess } from './plugins/delay';
import { reverbProcess } from './plugins/reverb';
import { driveProcess } from './plugins/drive';
import { chorusProcess } from './plugins/chorus';

function processPlugin(code: i32, p: usize, t: i32, slot: i32, buf: usize, n: i32): void {
  switch (code) {
    case PLUGIN_GAIN: gainProcess(p, buf, n); break;
    case PLUGIN_FILTER: filterProcess(p, buf, n); break;
    case PLUGIN_EQ: eqProcess(p, buf, n); break;
    case PLUGIN_COMPRESSOR: compressorProcess(p, buf, n); break;
    case PLUGIN_DELAY: delayProcess(p, buf, n); break;
    case PLUGIN_REVERB: reverbProcess(p, buf, n); break;
    case PLUGIN_DRIVE: driveProcess(p, buf, n); break;
    case PLUGIN_CHORUS: chorusProcess(p, buf, n); break;
    case PLUGIN_SYNTH: runSynth(p, t, slot, buf, n); break;
    default: break;
  }
}

/** Runs one plugin with its bypass crossfade (5 ms linear between dry and processed). */
function runPlugin(t: i32, slot: i32, buf: usize, n: i32): void {
  const p = pluginPtr(t, slot);
  const code = load<i32>(p, P_TYPE);
  if (code == 0) return;
  store<i32>(p, 1, P_REACHED);
  const target: f32 = load<i32>(p, P_BYPASS) != 0 ? 0 : 1;
  let wet = load<f32>(p, P_WET);
  if (wet == target) {
    if (target == 0) return;
    processPlugin(code, p, t, slot, buf, n);
    store<i32>(p, 0, P_FRESH);
    return;
  }
  memory.copy(dryPtr, buf, <usize>(n << 4));
  processPlugin(code, p, t, slot, buf, n);
  store<i32>(p, 0, P_FRESH);
  const step: f32 = (target > wet ? 1 : -1) / <f32>rampSamples;
  for (let i = 0; i < n; i++) {
    wet = target > wet ? Mathf.min(target, wet + step) : Mathf.max(target, wet + step);
    const o = <usize>i << 4;
    const d = v128.load(dryPtr + o);
    v128.store(buf + o, f32x4.add(d, f32x4.mul(f32x4.sub(v128.load(buf + o), d), f32x4.splat(wet))));
  }
  store<f32>(p, wet, P_WET);
}

/** A plugin that runs plainly this block: active, not bypassed, not fading. */
function steady(p: usize): bool {
  return load<i32>(p, P_BYPASS) == 0 && load<f32>(p, P_WET) == 1;
}

/** A settled filter running plainly: the fused kernels may take it. */
function fusable(t: i32, s: i32): bool {
  const p = pluginPtr(t, s);
  return load<i32>(p, P_TYPE) == PLUGIN_FILTER && steady(p) && filterSettled(p);
}

/** Runs a track's chain; back-to-back settled filters run fused, four at a time, then in pairs. */
function runChain(t: i32, tp: usize, buf: usize, n: i32): void {
  const count = load<i32>(tp, T_NPLUG);
  for (let s = 0; s < count; s++) {
    if (s + 3 < count && fusable(t, s) && fusable(t, s + 1) && fusable(t, s + 2) && fusable(t, s + 3)) {
      filterQuadProcess(pluginPtr(t, s), pluginPtr(t, s + 1), pluginPtr(t, s + 2), pluginPtr(t, s + 3), buf, n);
      s += 3;
      continue;
    }
    // Pairs measured ~5% faster than single stages, and faster than fused quads of one stage per vector.
    if (s + 1 < count && fusable(t, s) && fusable(t, s + 1)) {
      filterPairProcess(pluginPtr(t, s), pluginPtr(t, s + 1), buf, n);
      s++;
    } else {
      runPlugin(t, s, buf, n);
    }
  }
  store<i32>(tp, 0, T_NEVENTS);
}


/** Four planar frames (l, r lanes) to four stereo frames at q, lanes 2-3 zero. */
// @ts-ignore: decorator
@inline function storeFrames4(q: usize, l: v128, r: v128): void {
  v128.store(q, v128.and(v128.shuffle<f32>(l, r, 0, 4, 0, 4), LR), 0);
  v128.store(q, v128.and(v128.shuffle<f32>(l, r, 1, 5, 1, 5), LR), 16);
  v128.store(q, v128.and(v128.shuffle<f32>(l, r, 2, 6, 2, 6), LR), 32);
  v128.store(q, v128.and(v128.shuffle<f32>(l, r, 3, 7, 3, 7), LR), 48);
}

function fillSource(tp: usize, buf: usize, n: i32): void {
  const kind = load<i32>(tp, T_SOURCE);
  if (kind == SOURCE_BUS) {
    memory.copy(buf, load<usize>(tp, T_BUS), <usize>(n << 4));
  } else if (kind == SOURCE_INPUT) {
    for (let i = 0; i < n; i += 4) storeFrames4(buf + (<usize>i << 4), v128.load(inputPtr + (<usize>i << 2)), v128.load(inputPtr + (<usize>i << 2), BLOCK * 4));
  } else if (kind == SOURCE_FILE && playing && load<usize>(tp, T_SAMPLE_PTR) != 0 && load<i32>(tp, T_SAMPLE_FRAMES) > 0) {
    // Files loop, locked to the transport so every render starts at their first frame.
    const data = load<usize>(tp, T_SAMPLE_PTR);
    const frames = load<i32>(tp, T_SAMPLE_FRAMES);
    const right = load<i32>(tp, T_SAMPLE_CH) > 1 ? data + (<usize>frames << 2) : data;
    let idx = <i32>(<i64>position % <i64>frames);
    let i = 0;
    while (i < n) {
      const run = min(n - i, frames - idx);
      let k = 0;
      for (; k + 4 <= run; k += 4) {
        const o = <usize>(idx + k) << 2;
        storeFrames4(buf + (<usize>(i + k) << 4), v128.load(data + o), v128.load(right + o));
      }
      for (; k < run; k++) {
        const o = <usize>(idx + k) << 2;
        v128.store(buf + (<usize>(i + k) << 4), f32x4(load<f32>(data + o), load<f32>(right + o), 0, 0));
      }
      i += run;
      idx += run;
      if (idx >= frames) idx = 0;
    }
  } else {
    memory.fill(buf, 0, <usize>(n << 4));
  }
}

function runTrack(t: i32, n: i32, anySolo: bool): void {
  const tp = trackPtr(t);
  const buf = load<usize>(tp, T_BUF);
  fillSource(tp, buf, n);
  runChain(t, tp, buf, n);
  faderTarget(t, tp, anySolo);
  faderMeterSum(t, tp, buf, n, true);
  const sends = load<i32>(tp, T_NSENDS);
  for (let s = 0; s < sends; s++) {
    const sp = tp + T_SENDS + <usize>(s * SEND_STRIDE);
    const target = load<i32>(sp);
    if (target < 0 || target >= MAX_TRACKS || target == t) continue;
    const bp = trackPtr(target);
    if (load<i32>(bp, T_ACTIVE) == 0 || load<i32>(bp, T_SOURCE) != SOURCE_BUS || load<i32>(bp, T_DONE) != 0) continue;
    srampMixInto(sp + 4, buf, load<usize>(bp, T_BUS), n);
  }
  store<i32>(tp, 1, T_DONE);
}

/** Renders one block of BLOCK frames into the output planes. */
export function processBlock(): void {
  const n = BLOCK;
  computeStepEvents(n);
  let anySolo = false;
  for (let t = 0; t < MAX_TRACKS; t++) {
    const tp = trackPtr(t);
    store<i32>(tp, 0, T_DONE);
    if (load<i32>(tp, T_ACTIVE) == 0) continue;
    if (load<i32>(tp, T_SOLO) != 0) anySolo = true;
    if (load<i32>(tp, T_SOURCE) == SOURCE_BUS) memory.fill(load<usize>(tp, T_BUS), 0, <usize>(n << 4));
  }
  memory.fill(masterAccPtr, 0, <usize>(n << 4));
  for (let t = 0; t < MAX_TRACKS; t++) {
    const tp = trackPtr(t);
    if (load<i32>(tp, T_ACTIVE) != 0 && load<i32>(tp, T_SOURCE) != SOURCE_BUS) runTrack(t, n, anySolo);
  }
  for (let t = 0; t < MAX_TRACKS; t++) {
    const tp = trackPtr(t);
    if (load<i32>(tp, T_ACTIVE) != 0 && load<i32>(tp, T_SOURCE) == SOURCE_BUS) runTrack(t, n, anySolo);
  }
  // Master: the sum, its own chain, its fader.
  const mp = trackPtr(MASTER);
  const buf = load<usize>(mp, T_BUF);
  memory.copy(buf, masterAccPtr, <usize>(n << 4));
  runChain(MASTER, mp, buf, n);
  faderTarget(MASTER, mp, anySolo);
  faderMeterSum(MASTER, mp, buf, n, false);
  for (let i = 0; i < n; i++) {
    const x = v128.load(buf + (<usize>i << 4));
    store<f32>(outputPtr + (<usize>i << 2), f32x4.extract_lane(x, 0));
    store<f32>(outputPtr + (<usize>i << 2), f32x4.extract_lane(x, 1), BLOCK * 4);
  }
  if (playing) setPosition(position + <f64>n);
}
