// The engine's exports: setup, structural commands, params, transport,
// process. Every function takes slots and numbers only; wasm/host/engine-core.ts
// wraps them. Structural commands run between blocks, never during one.
import {
  BLOCK, MASTER, MAX_PARAMS, MAX_PLUGINS, MAX_SENDS, MAX_TRACKS, P_BYPASS, P_FRESH, P_SLAB, P_STATE,
  P_REACHED, P_TARGET, P_TYPE, P_WET, PLUGIN_CHORUS, PLUGIN_DELAY, PLUGIN_REVERB, PLUGIN_STRIDE, PLUGIN_SYNTH,
  SEND_STRIDE, T_ACTIVE, T_BUF, T_BUS, T_GAIN_DB, T_MS, T_MUTE, T_NPLUG, T_NSENDS, T_PAN, T_PATTERN,
  T_LIN_DB, T_PLAYING_NOTE, T_RAMP, T_SAMPLE_CH, T_SAMPLE_FRAMES, T_SAMPLE_PTR, T_SENDS, T_SOLO, T_SOURCE,
  TRACK_SLOTS, TRACK_STRIDE,
} from './layout';
import * as S from './state';
import { processBlock } from './graph';
import { queueEvent, releasePatternNotes } from './notes';
import { pluginPtr, trackPtr } from './records';
import { dbToLin } from './dsp';
import { srampTarget } from './ramp';
import { slabGive, slabTake } from './slab';
import { synthReset } from './plugins/synth';
import { pcmDecode, pcmEncode } from './pcm';

let ready = false;
let tempRecord: usize = 0;

function alloc(bytes: i32): usize {
  const p = (heap.alloc(<usize>bytes + 16) + 15) & ~(<usize>15);
  memory.fill(p, 0, <usize>bytes);
  return p;
}

/** Allocates every fixed region for `rate` Hz. Call once, before anything else. */
export function setup(rate: f32): void {
  if (ready) return;
  ready = true;
  let frames = 1;
  while (<f64>frames < 2.0 * <f64>rate + <f64>(4 * BLOCK)) frames <<= 1;
  S.setRate(rate,
    alloc(TRACK_SLOTS * TRACK_STRIDE),
    alloc(TRACK_SLOTS * MAX_PLUGINS * PLUGIN_STRIDE),
    alloc(2 * BLOCK * 4), alloc(2 * BLOCK * 4), alloc(TRACK_SLOTS * 8),
    alloc(BLOCK * 16), alloc(BLOCK * 16), frames * 8);
  tempRecord = alloc(PLUGIN_STRIDE);
  for (let t = 0; t < TRACK_SLOTS; t++) {
    const tp = trackPtr(t);
    store<usize>(tp, alloc(BLOCK * 16), T_BUF);
    store<usize>(tp, alloc(BLOCK * 16), T_BUS);
    resetTrackRecord(t);
  }
  store<i32>(trackPtr(MASTER), 1, T_ACTIVE);
}

export function blockSize(): i32 { return BLOCK; }
export function maxTracks(): i32 { return MAX_TRACKS; }
export function masterSlot(): i32 { return MASTER; }
export function maxPlugins(): i32 { return MAX_PLUGINS; }
export function maxParams(): i32 { return MAX_PARAMS; }
export function maxSends(): i32 { return MAX_SENDS; }
export function inputPtr(): usize { return S.inputPtr; }
export function outputPtr(): usize { return S.outputPtr; }
export function metersPtr(): usize { return S.metersPtr; }

function needsSlab(code: i32): bool {
  return code == PLUGIN_DELAY || code == PLUGIN_REVERB || code == PLUGIN_CHORUS;
}

function clearRecord(p: usize, code: i32): void {
  slabGive(load<usize>(p, P_SLAB));
  memory.fill(p, 0, <usize>PLUGIN_STRIDE);
  store<i32>(p, code, P_TYPE);
  store<f32>(p, 1, P_WET);
  store<i32>(p, 1, P_FRESH);
  if (needsSlab(code)) store<usize>(p, slabTake(), P_SLAB);
}

function resetTrackRecord(t: i32): void {
  const tp = trackPtr(t);
  const count = load<i32>(tp, T_NPLUG);
  for (let s = 0; s < count; s++) clearRecord(pluginPtr(t, s), 0);
  const sample = load<usize>(tp, T_SAMPLE_PTR);
  if (sample != 0) heap.free(sample);
  const buf = load<usize>(tp, T_BUF), bus = load<usize>(tp, T_BUS);
  memory.fill(tp, 0, <usize>TRACK_STRIDE);
  store<usize>(tp, buf, T_BUF);
  store<usize>(tp, bus, T_BUS);
  for (let i = 0; i < 16; i++) store<i32>(tp + <usize>(i << 2), -1, T_PATTERN);
  store<i32>(tp, -1, T_PLAYING_NOTE);
  store<f32>(tp, NaN, T_LIN_DB);
  store<f32>(S.metersPtr + <usize>(t << 3), 0);
  store<f32>(S.metersPtr + <usize>(t << 3), 0, 4);
}

function validTrack(t: i32): bool { return ready && t >= 0 && t < TRACK_SLOTS; }
function validPlugin(t: i32, s: i32): bool {
  return validTrack(t) && s >= 0 && s < load<i32>(trackPtr(t), T_NPLUG);
}

/** Clears a track slot back to an inactive empty track (plugins removed, sample freed). */
export function trackReset(t: i32): void {
  if (!validTrack(t)) return;
  resetTrackRecord(t);
  if (t == MASTER) store<i32>(trackPtr(t), 1, T_ACTIVE);
}
export function trackSetActive(t: i32, on: bool): void { if (validTrack(t) && t != MASTER) store<i32>(trackPtr(t), on ? 1 : 0, T_ACTIVE); }
export function trackSetSource(t: i32, kind: i32): void { if (validTrack(t)) store<i32>(trackPtr(t), kind, T_SOURCE); }
export function trackSetGain(t: i32, db: f32): void { if (validTrack(t)) store<f32>(trackPtr(t), db, T_GAIN_DB); }
export function trackSetPan(t: i32, pan: f32): void { if (validTrack(t)) store<f32>(trackPtr(t), Mathf.max(-1, Mathf.min(1, pan)), T_PAN); }
export function trackSetMute(t: i32, on: bool): void { if (validTrack(t)) store<i32>(trackPtr(t), on ? 1 : 0, T_MUTE); }
export function trackSetSolo(t: i32, on: bool): void { if (validTrack(t)) store<i32>(trackPtr(t), on ? 1 : 0, T_SOLO); }
/** Sets how many sends the track has (the first `count` entries are used). */
export function trackSetSendCount(t: i32, count: i32): void {
  if (validTrack(t)) store<i32>(trackPtr(t), <i32>Math.max(0, Math.min(<f64>MAX_SENDS, <f64>count)), T_NSENDS);
}
/** Sets send `i` to bus slot `target` at `gainDb`; a new target snaps, a gain change ramps. */
export function trackSetSend(t: i32, i: i32, target: i32, gainDb: f32): void {
  if (!validTrack(t) || i < 0 || i >= MAX_SENDS) return;
  const sp = trackPtr(t) + T_SENDS + <usize>(i * SEND_STRIDE);
  const snap = load<i32>(sp) != target;
  store<i32>(sp, target);
  srampTarget(sp + 4, dbToLin(gainDb), snap);
}
/** Sets pattern step `step` (0..15) to a MIDI note, or a rest when note < 0. */
export function trackSetStep(t: i32, step: i32, note: i32): void {
  if (validTrack(t) && step >= 0 && step < 16) store<i32>(trackPtr(t) + <usize>(step << 2), note, T_PATTERN);
}
/** Reserves planar f32 storage for a file source (frames x channels) and returns its pointer. */
export function trackSampleAlloc(t: i32, frames: i32, channels: i32): usize {
  if (!validTrack(t) || frames <= 0) return 0;
  const tp = trackPtr(t);
  const old = load<usize>(tp, T_SAMPLE_PTR);
  if (old != 0) heap.free(old);
  const ch = channels > 1 ? 2 : 1;
  const ptr = heap.alloc(<usize>frames * <usize>ch * 4);
  store<usize>(tp, ptr, T_SAMPLE_PTR);
  store<i32>(tp, frames, T_SAMPLE_FRAMES);
  store<i32>(tp, ch, T_SAMPLE_CH);
  return ptr;
}
export function trackSampleFree(t: i32): void {
  if (!validTrack(t)) return;
  const tp = trackPtr(t);
  const old = load<usize>(tp, T_SAMPLE_PTR);
  if (old != 0) heap.free(old);
  store<usize>(tp, 0, T_SAMPLE_PTR);
  store<i32>(tp, 0, T_SAMPLE_FRAMES);
}

export function pluginCount(t: i32): i32 { return validTrack(t) ? load<i32>(trackPtr(t), T_NPLUG) : 0; }

/** Inserts an empty plugin of type `code` at `index`; returns false when the chain is full. */
export function pluginInsert(t: i32, index: i32, code: i32): bool {
  if (!validTrack(t)) return false;
  const tp = trackPtr(t);
  const count = load<i32>(tp, T_NPLUG);
  if (count >= MAX_PLUGINS || index < 0 || index > count) return false;
  const at = pluginPtr(t, index);
  memory.copy(at + PLUGIN_STRIDE, at, <usize>((count - index) * PLUGIN_STRIDE));
  memory.fill(at, 0, <usize>PLUGIN_STRIDE);
  clearRecord(at, code);
  store<i32>(tp, count + 1, T_NPLUG);
  return true;
}
export function pluginRemove(t: i32, index: i32): void {
  if (!validPlugin(t, index)) return;
  const tp = trackPtr(t);
  const count = load<i32>(tp, T_NPLUG);
  const at = pluginPtr(t, index);
  slabGive(load<usize>(at, P_SLAB));
  memory.copy(at, at + PLUGIN_STRIDE, <usize>((count - index - 1) * PLUGIN_STRIDE));
  memory.fill(pluginPtr(t, count - 1), 0, <usize>PLUGIN_STRIDE);
  store<i32>(tp, count - 1, T_NPLUG);
}
/** Moves a plugin, with its state (a reverb tail survives the move). */
export function pluginMove(t: i32, from: i32, to: i32): void {
  if (!validPlugin(t, from) || !validPlugin(t, to) || from == to) return;
  memory.copy(tempRecord, pluginPtr(t, from), <usize>PLUGIN_STRIDE);
  if (from < to) memory.copy(pluginPtr(t, from), pluginPtr(t, from + 1), <usize>((to - from) * PLUGIN_STRIDE));
  else memory.copy(pluginPtr(t, to + 1), pluginPtr(t, to), <usize>((from - to) * PLUGIN_STRIDE));
  memory.copy(pluginPtr(t, to), tempRecord, <usize>PLUGIN_STRIDE);
}
/** Replaces the plugin at `index` with a fresh one of type `code`. */
export function pluginSetType(t: i32, index: i32, code: i32): void {
  if (validPlugin(t, index)) clearRecord(pluginPtr(t, index), code);
}
/** Clears a plugin's DSP state (delay lines, voices, filter states); its params snap on its next block. */
function clearPluginState(p: usize): void {
  if (load<i32>(p, P_TYPE) == PLUGIN_SYNTH) synthReset(p);
  memory.fill(p + P_STATE, 0, <usize>(PLUGIN_STRIDE - P_STATE));
  const slab = load<usize>(p, P_SLAB);
  if (slab != 0) memory.fill(slab, 0, <usize>S.slabBytes);
  store<i32>(p, 1, P_FRESH);
}

export function pluginSetBypass(t: i32, index: i32, on: bool): void {
  if (!validPlugin(t, index)) return;
  const p = pluginPtr(t, index);
  // A bypassed plugin does not run: switched back on, it starts clean, not
  // from what it held when it went quiet (a delay's echoes of long ago, a
  // reverb's cut-off tail, a synth voice whose note-off it never saw).
  const reached = load<i32>(p, P_REACHED) != 0;
  if (!on && reached && load<i32>(p, P_BYPASS) != 0 && load<f32>(p, P_WET) == 0) clearPluginState(p);
  store<i32>(p, on ? 1 : 0, P_BYPASS);
  // A plugin the graph has not reached yet (a session being loaded) starts
  // where it is asked to be; once audio has passed it, a change fades, even
  // if it has been bypassed (and so never run) since it was inserted.
  if (!reached) store<f32>(p, on ? 0 : 1, P_WET);
}
/** Sets a param's target (its index in the catalog descriptor); the engine smooths toward it. */
export function pluginSetParam(t: i32, index: i32, param: i32, value: f32): void {
  if (!validPlugin(t, index) || param < 0 || param >= MAX_PARAMS || !isFinite(value)) return;
  store<f32>(pluginPtr(t, index) + <usize>(param << 2), value, P_TARGET);
}

/** MIDI: note on (velocity 0..1, fractional notes allowed), note off, all notes off. */
export function noteOn(t: i32, note: f32, velocity: f32): bool { return validTrack(t) && queueEvent(t, note, Mathf.max(1e-3, velocity)); }
export function noteOff(t: i32, note: f32): bool { return validTrack(t) && queueEvent(t, note, 0); }
export function allNotesOff(t: i32): bool { return validTrack(t) && queueEvent(t, 0, -1); }

export function transportPlay(): void { S.setPlaying(true); }
/** Stops the transport: pattern notes release and the position rewinds (files restart on play). */
export function transportStop(): void {
  S.setPlaying(false);
  releasePatternNotes();
  S.setPosition(0);
}
export function transportPlaying(): bool { return S.playing; }
export function setTempo(bpm: f32): void { S.setTempo(Mathf.max(20, Mathf.min(300, bpm))); }
export function setPosition(samples: f64): void { S.setPosition(Math.max(0, samples)); }
export function getPosition(): f64 { return S.position; }

/** Clears every DSP state (delay lines, voices, smoothing) and rewinds the transport; params stay. */
export function reset(): void {
  for (let t = 0; t < TRACK_SLOTS; t++) {
    const tp = trackPtr(t);
    const count = load<i32>(tp, T_NPLUG);
    for (let s = 0; s < count; s++) {
      const p = pluginPtr(t, s);
      clearPluginState(p);
      store<f32>(p, load<i32>(p, P_BYPASS) != 0 ? 0 : 1, P_WET);
    }
    memory.fill(tp + T_RAMP, 0, 48);
    store<f32>(tp, 0, T_MS);
    store<i32>(tp, -1, T_PLAYING_NOTE);
    const sends = load<i32>(tp, T_NSENDS);
    for (let s = 0; s < MAX_SENDS; s++) {
      const sp = tp + T_SENDS + <usize>(s * SEND_STRIDE);
      srampTarget(sp + 4, load<f32>(sp + 4, 4), true);
    }
    if (sends < 0) store<i32>(tp, 0, T_NSENDS);
    memory.fill(load<usize>(tp, T_BUF), 0, <usize>(BLOCK * 16));
    memory.fill(load<usize>(tp, T_BUS), 0, <usize>(BLOCK * 16));
  }
  memory.fill(S.metersPtr, 0, <usize>(TRACK_SLOTS * 8));
  S.setPosition(0);
}

/** Renders one block: reads the input planes, writes the output planes and the meters. */
export function process(): void {
  if (ready) processBlock();
}

// Offline staging (the CLI's file processing): planar f32 input left, input
// right, output left, output right, `stagedFrames` each, so a whole chunk
// crosses into the engine with one call and the block copies are memory.copy;
// then `stagedFrames` x 8 bytes of WAV sample data (up to two 32-bit
// channels) that stageDecode reads and stageEncode writes, so only the
// file's bytes cross between JS and the engine.
let stagedPtr: usize = 0;
let stagedFrames: i32 = 0;

/**
 * Reserves the offline staging area for `frames` frames (freeing the last
 * one) and returns its pointer. A structural call: it may grow the memory.
 */
export function stageAlloc(frames: i32): usize {
  if (stagedPtr != 0) heap.free(stagedPtr);
  stagedFrames = frames > 0 ? frames : 0;
  stagedPtr = stagedFrames > 0 ? heap.alloc(<usize>stagedFrames * 24) : 0;
  return stagedPtr;
}

/**
 * Renders the first `frames` staged frames block by block, exactly as
 * process() would with the same input written a block at a time (a short
 * last block reads zeros past `frames`), into the staged output.
 */
export function processStaged(frames: i32): void {
  if (!ready || stagedPtr == 0) return;
  const n = min(frames, stagedFrames);
  const plane = <usize>stagedFrames << 2;
  const inL = stagedPtr, inR = inL + plane, outL = inR + plane, outR = outL + plane;
  const inPtr = S.inputPtr, outPtr = S.outputPtr, half = <usize>(BLOCK << 2);
  for (let off = 0; off < n; off += BLOCK) {
    const m = min(BLOCK, n - off);
    const bytes = <usize>m << 2, at = <usize>off << 2;
    memory.copy(inPtr, inL + at, bytes);
    memory.copy(inPtr + half, inR + at, bytes);
    if (m < BLOCK) {
      memory.fill(inPtr + bytes, 0, half - bytes);
      memory.fill(inPtr + half + bytes, 0, half - bytes);
    }
    processBlock();
    memory.copy(outL + at, outPtr, bytes);
    memory.copy(outR + at, outPtr + half, bytes);
  }
}

/**
 * Decodes `frames` frames of WAV sample data from the staged bytes into the
 * staged input (mono: both channels); returns the first frame with a sample
 * that is not a finite number, or -1.
 */
export function stageDecode(frames: i32, channels: i32, bits: i32, isFloat: bool): i32 {
  if (stagedPtr == 0) return -1;
  const plane = <usize>stagedFrames << 2;
  return pcmDecode(stagedPtr + 4 * plane, stagedPtr, stagedPtr + plane, min(frames, stagedFrames), channels, bits, isFloat);
}

/** Encodes `frames` frames of the staged output as WAV sample data into the staged bytes (mono: the channels' average). */
export function stageEncode(frames: i32, channels: i32, bits: i32, isFloat: bool): void {
  if (stagedPtr == 0) return;
  const plane = <usize>stagedFrames << 2;
  pcmEncode(stagedPtr + 2 * plane, stagedPtr + 3 * plane, stagedPtr + 4 * plane, min(frames, stagedFrames), channels, bits, isFloat);
}
