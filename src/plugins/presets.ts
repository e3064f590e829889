import type { Preset } from '../protocol/plugin.ts';

/** Factory presets, three or more per plugin type. Ids are stable: sessions refer to them. */
export const FACTORY_PRESETS: readonly Preset[] = [
  { id: 'gain-trim-6', name: 'Trim -6 dB', plugin_type: 'gain', params: { gain_db: -6, pan: 0, invert: 0 } },
  { id: 'gain-boost-6', name: 'Boost +6 dB', plugin_type: 'gain', params: { gain_db: 6, pan: 0, invert: 0 } },
  { id: 'gain-polarity-flip', name: 'Polarity flip', plugin_type: 'gain', params: { gain_db: 0, pan: 0, invert: 1 } },

  { id: 'filter-rumble-cut', name: 'Rumble cut', plugin_type: 'filter', params: { mode: 1, cutoff: 80, q: 0.707 } },
  { id: 'filter-telephone', name: 'Telephone', plugin_type: 'filter', params: { mode: 2, cutoff: 1500, q: 1.2 } },
  { id: 'filter-warm-lowpass', name: 'Warm lowpass', plugin_type: 'filter', params: { mode: 0, cutoff: 4500, q: 0.707 } },
  { id: 'filter-hum-notch', name: '60 Hz hum notch', plugin_type: 'filter', params: { mode: 3, cutoff: 60, q: 8 } },

  {
    id: 'eq-vocal-presence', name: 'Vocal presence', plugin_type: 'eq',
    params: { low_freq: 120, low_gain: -3, mid1_freq: 300, mid1_gain: -2, mid1_q: 1.2, mid2_freq: 3500, mid2_gain: 3, mid2_q: 1, high_freq: 10000, high_gain: 2 },
  },
  {
    id: 'eq-kick-punch', name: 'Kick punch', plugin_type: 'eq',
    params: { low_freq: 60, low_gain: 4, mid1_freq: 350, mid1_gain: -4, mid1_q: 1.4, mid2_freq: 4000, mid2_gain: 3, mid2_q: 1.5, high_freq: 9000, high_gain: 0 },
  },
  {
    id: 'eq-air', name: 'Air', plugin_type: 'eq',
    params: { low_freq: 100, low_gain: 0, mid1_freq: 500, mid1_gain: 0, mid1_q: 1, mid2_freq: 3000, mid2_gain: 0, mid2_q: 1, high_freq: 12000, high_gain: 4 },
  },
  {
    id: 'eq-mud-cut', name: 'Mud cut', plugin_type: 'eq',
    params: { low_freq: 100, low_gain: 0, mid1_freq: 250, mid1_gain: -5, mid1_q: 1.5, mid2_freq: 3000, mid2_gain: 0, mid2_q: 1, high_freq: 8000, high_gain: 0 },
  },

  {
    id: 'compressor-drum-bus', name: 'Drum bus', plugin_type: 'compressor',
    params: { threshold_db: -20, ratio: 4, attack_ms: 30, release_ms: 120, knee_db: 6, makeup_db: 4 },
  },
  {
    id: 'compressor-vocal-leveler', name: 'Vocal leveler', plugin_type: 'compressor',
    params: { threshold_db: -24, ratio: 3, attack_ms: 5, release_ms: 80, knee_db: 10, makeup_db: 6 },
  },
  {
    id: 'compressor-bass-glue', name: 'Bass glue', plugin_type: 'compressor',
    params: { threshold_db: -18, ratio: 6, attack_ms: 15, release_ms: 200, knee_db: 4, makeup_db: 3 },
  },
  {
    id: 'compressor-brickwall', name: 'Brickwall limit', plugin_type: 'compressor',
    params: { threshold_db: -6, ratio: 20, attack_ms: 0.5, release_ms: 50, knee_db: 0, makeup_db: 0 },
  },

  { id: 'delay-slapback', name: 'Slapback', plugin_type: 'delay', params: { time_ms: 110, feedback: 0.1, mix: 0.25, damping_hz: 6000 } },
  { id: 'delay-dotted-eighth', name: 'Dotted eighth (120 BPM)', plugin_type: 'delay', params: { time_ms: 375, feedback: 0.4, mix: 0.3, damping_hz: 7000 } },
  { id: 'delay-dub', name: 'Dub echo', plugin_type: 'delay', params: { time_ms: 500, feedback: 0.7, mix: 0.35, damping_hz: 2500 } },

  { id: 'reverb-small-room', name: 'Small room', plugin_type: 'reverb', params: { room_size: 0.35, damping: 0.6, width: 0.8, mix: 0.2, predelay_ms: 5 } },
  { id: 'reverb-vocal-plate', name: 'Vocal plate', plugin_type: 'reverb', params: { room_size: 0.7, damping: 0.4, width: 1, mix: 0.25, predelay_ms: 25 } },
  { id: 'reverb-big-hall', name: 'Big hall', plugin_type: 'reverb', params: { room_size: 0.92, damping: 0.3, width: 1, mix: 0.35, predelay_ms: 40 } },

  { id: 'drive-warm-tape', name: 'Warm tape', plugin_type: 'drive', params: { drive_db: 6, tone: 8000, mix: 1, output_db: -3 } },
  { id: 'drive-crunch', name: 'Crunch', plugin_type: 'drive', params: { drive_db: 20, tone: 4500, mix: 1, output_db: -8 } },
  { id: 'drive-parallel-grit', name: 'Parallel grit', plugin_type: 'drive', params: { drive_db: 30, tone: 3000, mix: 0.3, output_db: -4 } },

  { id: 'chorus-subtle-width', name: 'Subtle width', plugin_type: 'chorus', params: { rate_hz: 0.3, depth_ms: 1.5, mix: 0.3 } },
  { id: 'chorus-classic', name: 'Classic chorus', plugin_type: 'chorus', params: { rate_hz: 0.8, depth_ms: 3, mix: 0.5 } },
  { id: 'chorus-vibrato', name: 'Vibrato', plugin_type: 'chorus', params: { rate_hz: 5, depth_ms: 2, mix: 1 } },

  {
    id: 'synth-warm-pad', name: 'Warm pad', plugin_type: 'synth',
    params: { waveform: 0, cutoff: 1800, resonance: 0.15, attack_ms: 600, decay_ms: 800, sustain: 0.8, release_ms: 1500, voices: 8, level_db: -14 },
  },
  {
    id: 'synth-pluck', name: 'Pluck', plugin_type: 'synth',
    params: { waveform: 1, cutoff: 3000, resonance: 0.3, attack_ms: 1, decay_ms: 180, sustain: 0, release_ms: 150, voices: 8, level_db: -12 },
  },
  {
    id: 'synth-sub-bass', name: 'Sub bass', plugin_type: 'synth',
    params: { waveform: 2, cutoff: 600, resonance: 0.1, attack_ms: 3, decay_ms: 300, sustain: 0.9, release_ms: 120, voices: 1, level_db: -8 },
  },
  {
    id: 'synth-acid', name: 'Acid lead', plugin_type: 'synth',
    params: { waveform: 0, cutoff: 900, resonance: 0.8, attack_ms: 1, decay_ms: 220, sustain: 0.2, release_ms: 80, voices: 1, level_db: -12 },
  },
];
