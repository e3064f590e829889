// Engine-wide globals set by setup(): sample rate, region pointers, transport.
import { BLOCK } from './layout';

export let sampleRate: f32 = 48000;
/** Samples in the 5 ms smoothing ramp at the current rate. */
export let rampSamples: i32 = 240;
/** Per-block one-pole coefficient for ~5 ms parameter smoothing. */
export let blockSmooth: f32 = 0.4;

export let tracksPtr: usize = 0;
export let pluginsPtr: usize = 0;
export let inputPtr: usize = 0;
export let outputPtr: usize = 0;
export let metersPtr: usize = 0;
/** Scratch stereo-frame buffers for the bypass crossfade and master mix. */
export let dryPtr: usize = 0;
export let masterAccPtr: usize = 0;
/** Size in bytes of one slab (delay line, reverb, chorus buffers). */
export let slabBytes: i32 = 0;
/** Per-block meter constants: peak fall-back factor (20 dB/s), RMS one-pole coefficient (300 ms). */
export let meterFall: f32 = 1;
export let meterRms: f32 = 0;

export let playing: bool = false;
export let tempoBpm: f32 = 120;
/** Transport position in samples since play(). */
export let position: f64 = 0;
/** Step events inside the current block: offsets and step indices (-1 = gate off). */
export let eventCount: i32 = 0;
export const eventOffsets = new StaticArray<i32>(16);
export const eventSteps = new StaticArray<i32>(16);

export function setRate(rate: f32, tracks: usize, plugins: usize, input: usize, output: usize, meters: usize, dry: usize, master: usize, slab: i32): void {
  sampleRate = rate;
  rampSamples = <i32>Mathf.max(1, Mathf.round(rate * 0.005));
  blockSmooth = <f32>(1.0 - Math.exp(-<f64>BLOCK / (<f64>rate * 0.005)));
  tracksPtr = tracks;
  pluginsPtr = plugins;
  inputPtr = input;
  outputPtr = output;
  metersPtr = meters;
  dryPtr = dry;
  masterAccPtr = master;
  slabBytes = slab;
  const blockSec = <f64>BLOCK / <f64>rate;
  meterFall = <f32>Math.pow(10.0, -20.0 * blockSec / 20.0);
  meterRms = <f32>(1.0 - Math.exp(-blockSec / 0.3));
}

export function setPlaying(on: bool): void { playing = on; }
export function setTempo(bpm: f32): void { tempoBpm = bpm; }
export function setPosition(p: f64): void { position = p; }
export function setEventCount(n: i32): void { eventCount = n; }
