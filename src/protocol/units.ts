/**
 * Units as type aliases (after Tone.js): a param's type says how to show it.
 * They are plain numbers on the wire, in the param's own unit.
 */
export type Decibels = number;
export type Hertz = number;
export type Milliseconds = number;
export type Seconds = number;
/** 0..1 */
export type NormalRange = number;
/** -1..1 */
export type AudioRange = number;
export type BeatsPerMinute = number;
/** MIDI note number, 0..127. */
export type MidiNote = number;

/** Units a param descriptor may carry (SPEC §4). */
export const PARAM_UNITS = ['dB', 'Hz', 'ms', '%', 'ratio', 'x', ''] as const;
export type ParamUnit = (typeof PARAM_UNITS)[number];
