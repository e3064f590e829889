/**
 * Which control an op moves: the one answer used by the gesture stream
 * (coalescing in-gesture values), presence (who touches what), the surface
 * (rings and touch guards on controls), sync routing and the relay's
 * newest-wins send queue. A control is one scalar a person moves with one
 * finger or one hardware knob: a plugin param, or a track's gain, pan, mute
 * or solo.
 */
import type { PresenceData } from './messages.ts';
import type { AnyOp } from './ops.ts';

/** A control as presence names it on the wire: a track field has no `plugin_id`. */
export type ControlTarget = NonNullable<PresenceData['touching']>;

/** A control's key: `track/plugin/param` for a param, `track//field` for a track field. Ids are URL-safe, so `/` never appears inside one. */
export type ControlKey = string;

/** Track fields that are controls (faders, knobs, toggles); `name` and `source` are not. */
export const TRACK_CONTROL_FIELDS = ['gain_db', 'pan', 'mute', 'solo'] as const;
export type TrackControlField = (typeof TRACK_CONTROL_FIELDS)[number];

const isTrackControlField = (field: string): field is TrackControlField => (TRACK_CONTROL_FIELDS as readonly string[]).includes(field);

/** The key of a plugin param control. */
export const paramControlKey = (trackId: string, pluginId: string, parameterId: string): ControlKey => `${trackId}/${pluginId}/${parameterId}`;

/** The key of a track field control. */
export const trackControlKey = (trackId: string, field: TrackControlField): ControlKey => `${trackId}//${field}`;

/** The key of a control named the way presence names it. */
export function targetKey(target: ControlTarget): ControlKey {
  return `${target.track_id}/${target.plugin_id ?? ''}/${target.parameter_id ?? ''}`;
}

/**
 * The one control `op` moves, or null when it moves none (structure, names,
 * presets) or several (a BATCH, an UPDATE_TRACK of two fields).
 */
export function controlTarget(op: AnyOp): ControlTarget | null {
  if (op.type === 'PLUGIN_PARAMETER') {
    return { track_id: op.data.track_id, plugin_id: op.data.plugin_id, parameter_id: op.data.parameter_id };
  }
  if (op.type === 'UPDATE_TRACK') {
    const fields = Object.keys(op.data.changes);
    const field = fields[0];
    return fields.length === 1 && field !== undefined && isTrackControlField(field) ? { track_id: op.data.track_id, parameter_id: field } : null;
  }
  return null;
}

/** The key of the one control `op` moves (see {@link controlTarget}), or null. */
export function controlKey(op: AnyOp): ControlKey | null {
  const target = controlTarget(op);
  return target === null ? null : targetKey(target);
}
