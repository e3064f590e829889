// Notes: the pattern clock (step events inside a block), the synth's event
// handling (queued MIDI at block start, pattern steps sample-accurately).
import { MAX_EVENTS, MAX_TRACKS, P_TYPE, PLUGIN_SYNTH, T_EVENTS, T_NEVENTS, T_PATTERN, T_PLAYING_NOTE } from './layout';
import { eventCount, eventOffsets, eventSteps, playing, position, sampleRate, setEventCount, tempoBpm } from './state';
import { pluginPtr, trackPtr } from './records';
import { synthAllOff, synthMix, synthNoteOff, synthNoteOn, synthPrepare, synthRender } from './plugins/synth';

/** The default velocity of pattern notes. */
const PATTERN_VELOCITY: f32 = 0.8;

/**
 * Finds the step boundaries (note on) and half-step gate-offs inside this
 * block. Event k happens at sample ceil(k * half); the block covers samples
 * [P, P + n), so k runs from the first with ceil(k * half) >= P, i.e.
 * k > (P - 1) / half: no event is lost or doubled between blocks.
 */
export function computeStepEvents(n: i32): void {
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

export function runSynth(p: usize, t: i32, slot: i32, buf: usize, n: i32): void {
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
