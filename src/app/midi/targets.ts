import { findTrack } from '../../model/index.ts';
import { getPlugin } from '../../plugins/index.ts';
import type { MidiTarget } from '../../protocol/midi-mapping.ts';
import type { Op } from '../../protocol/ops.ts';
import type { SessionDocument } from '../../protocol/session.ts';
import { TRACK_GAIN_RANGE } from '../../protocol/session.ts';
import type { Range } from '../control-scale.ts';
import { op } from '../op-builders.ts';

/** The travel of a track's gain fader and pan control (the mixer strip draws them with these too). */
export const TRACK_FADER_RANGES = {
  gain_db: { min: TRACK_GAIN_RANGE.min, max: TRACK_GAIN_RANGE.max, scale: 'fader', step: 0.1 },
  pan: { min: -1, max: 1, scale: 'linear', step: 0.01 },
} as const satisfies Record<string, Range>;

/** A mapped control as it stands in the open session. */
export type ResolvedTarget =
  /** A knob or fader: its range, its value, and the op that sets a value. */
  | { readonly kind: 'range'; readonly range: Range; readonly value: number; set(value: number): Op }
  /** A toggle (mute, solo, bypass): whether it is on, and the op that flips it. */
  | { readonly kind: 'toggle'; readonly on: boolean; flip(): Op }
  /** Play/Stop. */
  | { readonly kind: 'transport' };

/**
 * Finds a mapping's control in the document by its ids; null when the
 * session has no such track, plugin or param (a mapping made in another
 * session, or for a removed plugin, waits unused).
 */
export function resolveTarget(doc: SessionDocument, target: MidiTarget): ResolvedTarget | null {
  if (target.kind === 'transport') return { kind: 'transport' };
  const track = findTrack(doc, target.track_id);
  if (!track) return null;
  if (target.kind === 'track') {
    const field = target.field;
    const update = (changes: Record<string, unknown>) => op('UPDATE_TRACK', { track_id: track.id, changes });
    if (field === 'mute' || field === 'solo') return { kind: 'toggle', on: track[field], flip: () => update({ [field]: !track[field] }) };
    return { kind: 'range', range: TRACK_FADER_RANGES[field], value: track[field], set: (value) => update({ [field]: value }) };
  }
  const plugin = track.chain.find((p) => p.id === target.plugin_id);
  if (!plugin) return null;
  const ref = { track_id: track.id, plugin_id: plugin.id };
  if (target.kind === 'bypass') return { kind: 'toggle', on: plugin.bypass, flip: () => op('BYPASS_PLUGIN', { ...ref, bypass: !plugin.bypass }) };
  const d = getPlugin(plugin.type)?.params.find((p) => p.id === target.parameter_id);
  if (!d) return null;
  const range: Range = { min: d.min, max: d.max, scale: d.scale, step: d.choices ? 1 : d.step };
  return {
    kind: 'range', range, value: plugin.params[d.id] ?? d.default,
    set: (value) => op('PLUGIN_PARAMETER', { ...ref, parameter_id: d.id, parameter_value: value }),
  };
}

/** How the UI names a mapped control: "Synth 1 · Filter Cutoff", "Bass · Mute", "Play/Stop". */
export function targetLabel(doc: SessionDocument | null, target: MidiTarget): string {
  if (target.kind === 'transport') return 'Play/Stop';
  const track = doc ? findTrack(doc, target.track_id) : undefined;
  if (!track) return `a control not in this session (track ${target.track_id})`;
  const names: Record<string, string> = { gain_db: 'Gain', pan: 'Pan', mute: 'Mute', solo: 'Solo' };
  if (target.kind === 'track') return `${track.name} · ${names[target.field]}`;
  const plugin = track.chain.find((p) => p.id === target.plugin_id);
  const desc = plugin ? getPlugin(plugin.type) : undefined;
  if (!plugin || !desc) return `${track.name} · a removed plugin`;
  if (target.kind === 'bypass') return `${track.name} · ${desc.name} Bypass`;
  const param = desc.params.find((p) => p.id === target.parameter_id);
  return `${track.name} · ${desc.name} ${param?.name ?? target.parameter_id}`;
}

/** The target a control key names (`track/plugin/param`, `track//field`), for learning from a slider. */
export function targetFromControlKey(key: string): MidiTarget | null {
  const [track_id, plugin_id, parameter_id] = key.split('/');
  if (!track_id || parameter_id === undefined) return null;
  if (plugin_id) return { kind: 'param', track_id, plugin_id, parameter_id };
  return parameter_id === 'gain_db' || parameter_id === 'pan' || parameter_id === 'mute' || parameter_id === 'solo'
    ? { kind: 'track', track_id, field: parameter_id } : null;
}
