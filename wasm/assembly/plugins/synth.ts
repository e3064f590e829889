// `synth`: polyphonic subtractive synth. PolyBLEP saw and square, a
// triangle integrated from the band-limited square, sine; a Simper (2013)
// state-variable lowpass per voice; linear-attack / exponential ADSR.
// Params: 0 waveform (saw, square, triangle, sine) 1 cutoff 2 resonance
// 3 attack_ms 4 decay_ms 5 sustain 6 release_ms 7 voices 8 level_db.
import { BLOCK, MAX_VOICES, P_FRESH, P_STATE } from '../layout';
import { dbToLin } from '../dsp';
import { param, paramTarget, smoothParams } from '../params';
import { rampSamples, sampleRate } from '../state';

// State: +0 f32 level (linear, end of last block), +4 f32 level start of this block,
// +16 f32 svf a1, +20 a2, +24 a3, +28 attack increment, +32 decay coef, +36 release coef,
// +40 i32 age counter, +44 f32 sustain, +48 i32 waveform, +52 i32 voices,
// +56 i32 waveform fading out, +60 f32 how far the waveform crossfade is at the block's start (1 = done).
// Voices from +64, VOICE_BYTES each: +0 i32 stage (0 idle 1 attack 2 decay/sustain 3 release),
// +4 f32 note, +8 f32 velocity, +12 f32 phase, +16 f32 increment, +20 f32 envelope,
// +24 f32 ic1, +28 f32 ic2, +32 f32 triangle integrator, +36 i32 age.
const VOICES: i32 = 64;
const VOICE_BYTES: i32 = 64;
const scratch = new StaticArray<f32>(BLOCK);

// @ts-ignore: decorator
@inline function voice(st: usize, v: i32): usize {
  return st + VOICES + <usize>(v * VOICE_BYTES);
}

/** Updates coefficients from the smoothed params; call once per block before rendering. */
export function synthPrepare(p: usize, n: i32): void {
  const st = p + P_STATE;
  const first = load<i32>(p, P_FRESH) != 0;
  const level0 = load<f32>(st, 0);
  if (first) store<f32>(st, 1, 60);
  if (smoothParams(p, 9, (1 << 0) | (1 << 7))) {
    const fs = sampleRate;
    const g = Mathf.tan(Mathf.PI * Mathf.min(param(p, 1), 0.45 * fs) / fs);
    const k: f32 = <f32>2 - <f32>1.95 * Mathf.min(1, Mathf.max(0, param(p, 2)));
    const a1 = <f32>1 / (<f32>1 + g * (g + k));
    store<f32>(st, a1, 16);
    store<f32>(st, g * a1, 20);
    store<f32>(st, g * g * a1, 24);
    store<f32>(st, 1 / (Mathf.max(0.1, param(p, 3)) * 0.001 * fs), 28);
    // Exponential segments reach -60 dB of their distance in the given time.
    store<f32>(st, Mathf.exp(-6.9077553 / (Mathf.max(0.1, param(p, 4)) * 0.001 * fs)), 32);
    store<f32>(st, Mathf.exp(-6.9077553 / (Mathf.max(0.1, param(p, 6)) * 0.001 * fs)), 36);
    store<f32>(st, Mathf.min(1, Mathf.max(0, param(p, 5))), 44);
    // A waveform change crossfades over the 5 ms ramp, from the one that was playing.
    const wave = <i32>Mathf.round(param(p, 0));
    if (!first && wave != load<i32>(st, 48)) {
      store<i32>(st, load<i32>(st, 48), 56);
      store<f32>(st, 0, 60);
    }
    store<i32>(st, wave, 48);
    store<i32>(st, <i32>Mathf.max(1, Mathf.min(<f32>MAX_VOICES, Mathf.round(param(p, 7)))), 52);
  }
  const level1 = dbToLin(param(p, 8));
  store<f32>(st, first ? level1 : level0, 4);
  store<f32>(st, level1, 0);
  memory.fill(changetype<usize>(scratch), 0, <usize>(n << 2));
}

/** Starts a note (fractional MIDI note numbers allowed), velocity 0..1. */
export function synthNoteOn(p: usize, note: f32, velocity: f32): void {
  const st = p + P_STATE;
  const count = <i32>Mathf.max(1, Mathf.min(<f32>MAX_VOICES, Mathf.round(paramTarget(p, 7))));
  const age = load<i32>(st, 40) + 1;
  store<i32>(st, age, 40);
  let pick = -1;
  // Same note again: retrigger its voice. Else a free voice. Else the oldest.
  for (let v = 0; v < count; v++) {
    const vp = voice(st, v);
    if (load<i32>(vp) != 0 && load<f32>(vp, 4) == note) { pick = v; break; }
  }
  if (pick < 0) for (let v = 0; v < count; v++) if (load<i32>(voice(st, v)) == 0) { pick = v; break; }
  if (pick < 0) {
    let oldest = i32.MAX_VALUE;
    for (let v = 0; v < count; v++) {
      const a = load<i32>(voice(st, v), 36);
      if (a < oldest) { oldest = a; pick = v; }
    }
  }
  const vp = voice(st, pick);
  if (load<i32>(vp) == 0) {
    store<f32>(vp, 0, 12);
    store<f32>(vp, 0, 20);
    store<f32>(vp, 0, 24);
    store<f32>(vp, 0, 28);
    store<f32>(vp, -1, 32);
  }
  store<i32>(vp, 1);
  store<f32>(vp, note, 4);
  store<f32>(vp, velocity, 8);
  const hz = 440.0 * Math.pow(2.0, (<f64>note - 69.0) / 12.0);
  store<f32>(vp, <f32>Math.min(0.45, hz / <f64>sampleRate), 16);
  store<i32>(vp, age, 36);
}

/** Releases every voice playing `note`. */
export function synthNoteOff(p: usize, note: f32): void {
  const st = p + P_STATE;
  for (let v = 0; v < MAX_VOICES; v++) {
    const vp = voice(st, v);
    const stage = load<i32>(vp);
    if (stage != 0 && stage != 3 && load<f32>(vp, 4) == note) store<i32>(vp, 3);
  }
}

/** Releases every voice. */
export function synthAllOff(p: usize): void {
  const st = p + P_STATE;
  for (let v = 0; v < MAX_VOICES; v++) {
    const vp = voice(st, v);
    if (load<i32>(vp) != 0) store<i32>(vp, 3);
  }
}

// @ts-ignore: decorator
@inline function blep(t: f32, dt: f32): f32 {
  if (t < dt) {
    const x = t / dt;
    return x + x - x * x - 1;
  }
  if (t > 1 - dt) {
    const x = (t - 1) / dt;
    return x * x + x + x + 1;
  }
  return 0;
}

/** Waveform `wave` at phase `ph`, given the band-limited square and the triangle integrated from it. */
// @ts-ignore: decorator
@inline function oscillator(wave: i32, ph: f32, dt: f32, sq: f32, tri: f32): f32 {
  if (wave == 0) return 2 * ph - 1 - blep(ph, dt);
  if (wave == 1) return sq;
  if (wave == 2) return tri;
  return Mathf.sin(2 * Mathf.PI * ph);
}

/** Renders voices into the scratch buffer for frames [from, to). */
export function synthRender(p: usize, from: i32, to: i32): void {
  if (to <= from) return;
  const st = p + P_STATE;
  const a1 = load<f32>(st, 16), a2 = load<f32>(st, 20), a3 = load<f32>(st, 24);
  const atk = load<f32>(st, 28), dec = load<f32>(st, 32), rel = load<f32>(st, 36), sus = load<f32>(st, 44);
  const wave = load<i32>(st, 48);
  const fade0 = load<f32>(st, 60), fadeStep = <f32>1 / <f32>rampSamples;
  const fading = fade0 < 1;
  const old = load<i32>(st, 56);
  const needTri = wave == 2 || (fading && old == 2);
  const needSq = wave == 1 || needTri || (fading && old == 1);
  const out = changetype<usize>(scratch);
  for (let v = 0; v < MAX_VOICES; v++) {
    const vp = voice(st, v);
    let stage = load<i32>(vp);
    if (stage == 0) continue;
    const vel = load<f32>(vp, 8), dt = load<f32>(vp, 16);
    let ph = load<f32>(vp, 12), env = load<f32>(vp, 20);
    let ic1 = load<f32>(vp, 24), ic2 = load<f32>(vp, 28), tri = load<f32>(vp, 32);
    for (let i = from; i < to; i++) {
      let sq: f32 = 0;
      if (needSq) {
        let h = ph + 0.5;
        if (h >= 1) h -= 1;
        sq = (ph < 0.5 ? <f32>1 : <f32>-1) + blep(ph, dt) - blep(h, dt);
      }
      // Integrate the band-limited square; the small leak keeps it centred.
      if (needTri) tri = tri * (1 - 0.05 * dt) + 4 * dt * sq;
      let s = oscillator(wave, ph, dt, sq, tri);
      if (fading) {
        const was = oscillator(old, ph, dt, sq, tri);
        s = was + (s - was) * Mathf.min(1, fade0 + <f32>(i + 1) * fadeStep);
      }
      ph += dt;
      if (ph >= 1) ph -= 1;
      if (stage == 1) {
        env += atk;
        if (env >= 1) { env = 1; stage = 2; }
      } else if (stage == 2) {
        env = sus + (env - sus) * dec;
        // -120 dB from the sustain level is the sustain level: at sustain 0 the
        // decay would creep through subnormal floats, and stick at the smallest
        // one, for as long as the note is held.
        if (Mathf.abs(env - sus) < 1e-6) env = sus;
      } else {
        env *= rel;
        if (env < 1e-4) { env = 0; stage = 0; }
      }
      const v3 = s - ic2;
      const v1 = a1 * ic1 + a2 * v3;
      const v2 = ic2 + a2 * ic1 + a3 * v3;
      ic1 = 2 * v1 - ic1;
      ic2 = 2 * v2 - ic2;
      const a = out + (<usize>i << 2);
      store<f32>(a, load<f32>(a) + v2 * env * vel);
      if (stage == 0) break;
    }
    store<i32>(vp, stage);
    store<f32>(vp, ph, 12);
    store<f32>(vp, env, 20);
    store<f32>(vp, Mathf.abs(ic1) < 1e-15 ? 0 : ic1, 24);
    store<f32>(vp, Mathf.abs(ic2) < 1e-15 ? 0 : ic2, 28);
    // Another waveform leaves the triangle's integrator where the ideal
    // triangle is at this phase, so a switch to triangle starts centred (an
    // integrator left at its note-on value swung around an offset of up to -1
    // until its leak re-centred it, half a second at 110 Hz).
    store<f32>(vp, needTri ? tri : ph < 0.5 ? 4 * ph - 1 : 3 - 4 * ph, 32);
  }
}

/** Adds the rendered block to the track buffer (both channels), with the level ramped across the block. */
export function synthMix(p: usize, buf: usize, n: i32): void {
  const st = p + P_STATE;
  let lvl = load<f32>(st, 4);
  const dl = (load<f32>(st, 0) - lvl) / <f32>n;
  const src = changetype<usize>(scratch);
  for (let i = 0; i < n; i++) {
    lvl += dl;
    const q = buf + (<usize>i << 4);
    const s = load<f32>(src + (<usize>i << 2)) * lvl;
    v128.store(q, f32x4.add(v128.load(q), f32x4(s, s, 0, 0)));
  }
  store<f32>(st, Mathf.min(1, load<f32>(st, 60) + <f32>n / <f32>rampSamples), 60);
}

/** Silences every voice at once (engine reset). */
export function synthReset(p: usize): void {
  const st = p + P_STATE;
  for (let v = 0; v < MAX_VOICES; v++) memory.fill(voice(st, v), 0, <usize>VOICE_BYTES);
}
