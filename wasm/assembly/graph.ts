// The graph: sources -> chains -> faders -> sends and the master bus, one
// block at a time. Non-bus tracks run first in slot order, then bus tracks;
// a send only reaches a bus that has not run yet this block (no cycles).
import {
  BLOCK, MASTER, MAX_EVENTS, MAX_PLUGINS, MAX_TRACKS, P_BYPASS, P_FRESH, P_TYPE, P_WET,
  PLUGIN_CHORUS, PLUGIN_COMPRESSOR, PLUGIN_DELAY, PLUGIN_DRIVE, PLUGIN_EQ, PLUGIN_FILTER, PLUGIN_GAIN,
  PLUGIN_REVERB, PLUGIN_STRIDE, PLUGIN_SYNTH, SEND_STRIDE, SOURCE_BUS, SOURCE_FILE, SOURCE_INPUT,
  T_ACTIVE, T_BUF, T_BUS, T_DONE, T_EVENTS, T_GAIN_DB, T_LIN, T_LIN_DB, T_MS, T_MUTE, T_NEVENTS, T_NPLUG, T_NSENDS, T_PAN,
  T_PATTERN, T_PLAYING_NOTE, T_RAMP, T_SAMPLE_CH, T_SAMPLE_FRAMES, T_SAMPLE_PTR, T_SENDS, T_SOLO,
  T_SOURCE, TRACK_STRIDE,
} from './layout';
import {
  dryPtr, eventCount, meterFall, meterRms, eventOffsets, eventSteps, inputPtr, masterAccPtr, metersPtr, outputPtr,
  pluginsPtr, position, playing, rampSamples, sampleRate, setEventCount, setPosition, tempoBpm, tracksPtr,
} from './state';
import { dbToLin } from './dsp';
import { rampTarget, srampMixInto } from './ramp';
import { gainProcess } from './plugins/gain';
import { filterPairProcess, filterProcess, filterSettled } from './plugins/filter';
import { eqProcess } from './plugins/eq';
import { compressorProcess } from './plugins/compressor';
import { delayProcess } from './plugins/delay';
import { reverbProcess } from './plugins/reverb';
import { driveProcess } from './plugins/drive';
import { chorusProcess } from './plugins/chorus';
import { synthAllOff, synthMix, synthNoteOff, synthNoteOn, synthPrepare, synthRender } from './plugins/synth';

// @ts-ignore: decorator
@inline export function trackPtr(t: i32): usize {
  return tracksPtr + <usize>(t * TRACK_STRIDE);
}

// @ts-ignore: decorator
@inline export function pluginPtr(t: i32, s: i32): usize {
  return pluginsPtr + <usize>((t * MAX_PLUGINS + s) * PLUGIN_STRIDE);
}

/** The default velocity of pattern notes. */
const PATTERN_VELOCITY: f32 = 0.8;

/**
 * Finds the step boundaries (note on) and half-step gate-offs inside this
 * block. Event k happens at sample ceil(k * half); the block covers samples
 * [P, P + n), so k runs from the first with ceil(k * half) >= P, i.e.
 * k > (P - 1) / half: no event is lost or doubled between blocks.
 */
function computeStepEvents(n: i32): void {
  let count = 0;
  if (playing) {
    const half = <f64>sampleRate * 60.0 / (<f64>tempoBpm * 4.0) / 2.0;
    const start = Math.floor(position);
    let k = Math.floor((start - 1.0) / half) + 1.0;
    while (count < 16) {
      const at = Math.ceil(k * half);
      if (at >= start + <f64>n) break;
      const ki = <i64>k;
      unchecked(eventOffsets[count] = <i32>(at - start));
      unchecked(eventSteps[count] = (ki & 1) == 0 ? <i32>((ki >> 1) % 16) : -1);
      count++;
      k += 1.0;
    }
  }
  setEventCount(count);
}

function runSynth(p: usize, t: i32, slot: i32, buf: usize, n: i32): void {
  const tp = trackPtr(t);
  synthPrepare(p, n);
  // Queued MIDI events land at the start of the block.
  const ne = load<i32>(tp, T_NEVENTS);
  for (let e = 0; e < ne; e++) {
    const ep = tp + T_EVENTS + <usize>(e << 3);
    const note = load<f32>(ep);
    const vel = load<f32>(ep, 4);
    if (vel > 0) synthNoteOn(p, note, vel);
    else if (vel < 0) synthAllOff(p);
    else synthNoteOff(p, note);
  }
  store<i32>(tp, 0, T_NEVENTS);
  let from = 0;
  if (slot == 0) {
    // The instrument at the head of the chain plays the track's pattern.
    for (let e = 0; e < eventCount; e++) {
      const off = unchecked(eventOffsets[e]);
      synthRender(p, from, off);
      from = off;
      const playingNote = load<i32>(tp, T_PLAYING_NOTE);
      if (playingNote >= 0) {
        synthNoteOff(p, <f32>playingNote);
        store<i32>(tp, -1, T_PLAYING_NOTE);
      }
      const step = unchecked(eventSteps[e]);
      if (step >= 0) {
        const note = load<i32>(tp + <usize>(step << 2), T_PATTERN);
        if (note >= 0) {
          synthNoteOn(p, <f32>note, PATTERN_VELOCITY);
          store<i32>(tp, note, T_PLAYING_NOTE);
        }
      }
    }
  }
  synthRender(p, from, n);
  synthMix(p, buf, n);
}

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

/** Runs a track's chain; back-to-back settled filters run fused in pairs. */
function runChain(t: i32, tp: usize, buf: usize, n: i32): void {
  const count = load<i32>(tp, T_NPLUG);
  for (let s = 0; s < count; s++) {
    // Pairs measured ~5% faster than single stages, and faster than fused quads.
    if (s + 1 < count && fusable(t, s) && fusable(t, s + 1)) {
      filterPairProcess(pluginPtr(t, s), pluginPtr(t, s + 1), buf, n);
      s++;
    } else {
      runPlugin(t, s, buf, n);
    }
  }
  store<i32>(tp, 0, T_NEVENTS);
}

const LR: v128 = i32x4(-1, -1, 0, 0);

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
function faderMeterSum(t: i32, tp: usize, buf: usize, n: i32, sum: bool): void {
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

function faderTarget(t: i32, tp: usize, anySolo: bool): void {
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

/** Releases the pattern note of every instrument track (transport stop). */
export function releasePatternNotes(): void {
  for (let t = 0; t <= MAX_TRACKS; t++) {
    const tp = trackPtr(t);
    const note = load<i32>(tp, T_PLAYING_NOTE);
    if (note < 0) continue;
    store<i32>(tp, -1, T_PLAYING_NOTE);
    const p = pluginPtr(t, 0);
    if (load<i32>(p, P_TYPE) == PLUGIN_SYNTH) synthNoteOff(p, <f32>note);
  }
}

/** Queues a MIDI event for the track's synth: velocity > 0 on, 0 off, < 0 all off. */
export function queueEvent(t: i32, note: f32, velocity: f32): bool {
  const tp = trackPtr(t);
  const ne = load<i32>(tp, T_NEVENTS);
  if (ne >= MAX_EVENTS) return false;
  const ep = tp + T_EVENTS + <usize>(ne << 3);
  store<f32>(ep, note);
  store<f32>(ep, velocity, 4);
  store<i32>(tp, ne + 1, T_NEVENTS);
  return true;
}

