import type { ParamDescriptor, PluginDescriptor } from '../protocol/plugin.ts';
import type { ParamUnit } from '../protocol/units.ts';

/** Shorthand for a continuous param. */
function param(
  id: string, name: string, unit: ParamUnit, defaultValue: number, min: number, max: number,
  scale: 'linear' | 'log' = 'linear',
): ParamDescriptor {
  return { id, name, unit, default: defaultValue, min, max, scale };
}

/** Shorthand for a choice param: the value is the index into `choices`. */
function choice(id: string, name: string, choices: string[], defaultIndex = 0): ParamDescriptor {
  return { id, name, unit: '', default: defaultIndex, min: 0, max: choices.length - 1, scale: 'linear', step: 1, choices };
}

const eqBand = (prefix: string, label: string, freq: number, withQ: boolean): ParamDescriptor[] => [
  param(`${prefix}_freq`, `${label} Freq`, 'Hz', freq, 20, 20000, 'log'),
  param(`${prefix}_gain`, `${label} Gain`, 'dB', 0, -24, 24),
  ...(withQ ? [param(`${prefix}_q`, `${label} Q`, '', 1, 0.1, 10, 'log')] : []),
];

/**
 * The plugin catalog (SPEC §4). Descriptors are data: the UI draws controls
 * from them, the model validates against them, the engine maps them by index.
 *
 * WASM CONTRACT: the engine addresses a plugin's params by their index in
 * `params`; append new params at the end, never reorder.
 */
export const PLUGINS: readonly PluginDescriptor[] = [
  {
    id: 'gain', name: 'Gain', kind: 'effect', description: 'Utility: level, balance and polarity.',
    params: [
      param('gain_db', 'Gain', 'dB', 0, -60, 24),
      param('pan', 'Pan', '', 0, -1, 1),
      choice('invert', 'Invert', ['off', 'on']),
    ],
  },
  {
    id: 'filter', name: 'Filter', kind: 'effect', description: '2-pole filter, RBJ Audio EQ Cookbook responses.',
    params: [
      choice('mode', 'Mode', ['lowpass', 'highpass', 'bandpass', 'notch', 'allpass']),
      param('cutoff', 'Cutoff', 'Hz', 1000, 20, 20000, 'log'),
      param('q', 'Q', '', 0.707, 0.1, 20, 'log'),
    ],
  },
  {
    id: 'eq', name: 'EQ', kind: 'effect', description: 'Four bands: low shelf, two peaks, high shelf (RBJ).',
    params: [
      ...eqBand('low', 'Low', 100, false),
      ...eqBand('mid1', 'Mid 1', 500, true),
      ...eqBand('mid2', 'Mid 2', 3000, true),
      ...eqBand('high', 'High', 8000, false),
    ],
  },
  {
    id: 'compressor', name: 'Compressor', kind: 'effect', description: 'Feed-forward, soft knee (Giannoulis/Massberg/Reiss).',
    params: [
      param('threshold_db', 'Threshold', 'dB', -18, -60, 0),
      param('ratio', 'Ratio', 'ratio', 4, 1, 20, 'log'),
      param('attack_ms', 'Attack', 'ms', 10, 0.1, 200, 'log'),
      param('release_ms', 'Release', 'ms', 100, 5, 2000, 'log'),
      param('knee_db', 'Knee', 'dB', 6, 0, 24),
      param('makeup_db', 'Makeup', 'dB', 0, 0, 24),
    ],
  },
  {
    id: 'delay', name: 'Delay', kind: 'effect', description: 'Feedback delay with a lowpass in the loop.',
    params: [
      param('time_ms', 'Time', 'ms', 375, 1, 2000, 'log'),
      param('feedback', 'Feedback', '', 0.35, 0, 0.95),
      param('mix', 'Mix', '', 0.3, 0, 1),
      param('damping_hz', 'Damping', 'Hz', 8000, 200, 20000, 'log'),
    ],
  },
  {
    id: 'reverb', name: 'Reverb', kind: 'effect', description: 'Freeverb-style room.',
    params: [
      param('room_size', 'Room Size', '', 0.7, 0, 1),
      param('damping', 'Damping', '', 0.5, 0, 1),
      param('width', 'Width', '', 1, 0, 1),
      param('mix', 'Mix', '', 0.25, 0, 1),
      param('predelay_ms', 'Predelay', 'ms', 0, 0, 200),
    ],
  },
  {
    id: 'drive', name: 'Drive', kind: 'effect', description: 'Antialiased saturation with a tone control.',
    params: [
      param('drive_db', 'Drive', 'dB', 12, 0, 48),
      param('tone', 'Tone', 'Hz', 6000, 500, 20000, 'log'),
      param('mix', 'Mix', '', 1, 0, 1),
      param('output_db', 'Output', 'dB', 0, -24, 12),
    ],
  },
  {
    id: 'chorus', name: 'Chorus', kind: 'effect', description: 'Modulated delay.',
    params: [
      param('rate_hz', 'Rate', 'Hz', 0.8, 0.05, 10, 'log'),
      param('depth_ms', 'Depth', 'ms', 3, 0, 10),
      param('mix', 'Mix', '', 0.5, 0, 1),
    ],
  },
  {
    id: 'synth', name: 'Synth', kind: 'instrument', description: 'Polyphonic subtractive synth, PolyBLEP oscillators.',
    params: [
      choice('waveform', 'Waveform', ['saw', 'square', 'triangle', 'sine']),
      param('cutoff', 'Cutoff', 'Hz', 2400, 20, 20000, 'log'),
      param('resonance', 'Resonance', '', 0.2, 0, 1),
      param('attack_ms', 'Attack', 'ms', 5, 0.5, 5000, 'log'),
      param('decay_ms', 'Decay', 'ms', 250, 1, 5000, 'log'),
      param('sustain', 'Sustain', '', 0.6, 0, 1),
      param('release_ms', 'Release', 'ms', 300, 1, 10000, 'log'),
      { ...param('voices', 'Voices', '', 8, 1, 16), step: 1 },
      param('level_db', 'Level', 'dB', -12, -60, 12),
    ],
  },
];
