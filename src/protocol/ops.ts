import { z } from 'zod';
import { HlcSchema, IdSchema } from './ids.ts';
import { PARAM_ID_PATTERN, PresetSchema } from './plugin.ts';
import {
  PatternSchema, SendSchema, SourceSchema, StartedAtSchema, TEMPO_RANGE, TRACK_GAIN_RANGE, TrackSchema,
} from './session.ts';

/**
 * Op payloads (SPEC §5). Every object is strict: an unknown key is an error
 * naming the key, which also keeps `__proto__`/`constructor` out.
 *
 * Fields a replica derives from its own state (`position`, a preset's resolved
 * `params`) are stamped by the sender, or by the relay on arrival when absent,
 * so that every replica applies exactly the same op (see docs/protocol.md).
 */
const index = z.number().int().min(0).max(10_000);
/** Fractional order key (model/order.ts). */
const position = z.string().regex(/^[A-Za-z0-9]{1,64}$/);
const paramId = z.string().regex(PARAM_ID_PATTERN, 'must be a param id (lower snake case)');

export const PluginParameterData = z.strictObject({
  track_id: IdSchema,
  plugin_id: IdSchema,
  parameter_id: paramId,
  parameter_value: z.number(),
});

/** A plugin as an op describes it: params default from the catalog, bypass to false. */
export const PluginSpecSchema = z.strictObject({
  id: IdSchema,
  type: paramId,
  params: z.record(paramId, z.number()).optional(),
  bypass: z.boolean().optional(),
});

/**
 * A name an op sets (a track's, the session's): a blank one would leave the
 * track's controls and the session's header without a name to read or be
 * announced by. A stored document is not held to it, so old files still load.
 */
const OpNameSchema = z.string().max(200).refine((name) => name.trim() !== '', 'must not be blank');

export const AddTrackData = z.strictObject({
  track: TrackSchema.partial().required({ id: true }).extend({ name: OpNameSchema.optional(), chain: z.array(PluginSpecSchema).max(64).optional() }),
  index: index.optional(),
  position: position.optional(),
});

export const RemoveTrackData = z.strictObject({ track_id: IdSchema });

/** A track's pan: hard left to hard right. */
const PAN_RANGE = { min: -1, max: 1 } as const;

export const TrackChangesSchema = z.strictObject({
  name: OpNameSchema.optional(),
  gain_db: z.number().min(TRACK_GAIN_RANGE.min).max(TRACK_GAIN_RANGE.max).optional(),
  pan: z.number().min(PAN_RANGE.min).max(PAN_RANGE.max).optional(),
  mute: z.boolean().optional(),
  solo: z.boolean().optional(),
  source: SourceSchema.optional(),
  pattern: PatternSchema.nullable().optional(),
  sends: z.array(SendSchema).max(64).optional(),
}).refine((c) => Object.keys(c).length > 0, 'must change at least one field');

/**
 * Whether `changes` is a fader move — only `gain_db` and/or `pan`, each a
 * number in its range — checked without zod's machinery (it runs on every
 * fader event). It only ever says yes to what `TrackChangesSchema` accepts
 * (tests/protocol/track-changes.test.ts compares them); anything else goes
 * through the schema, for its precise error.
 */
export function isFaderChange(changes: Record<string, unknown>): boolean {
  let fields = 0;
  for (const key in changes) {
    const value = changes[key];
    const range = key === 'gain_db' ? TRACK_GAIN_RANGE : key === 'pan' ? PAN_RANGE : null;
    if (!range || typeof value !== 'number' || !(value >= range.min && value <= range.max)) return false;
    fields++;
  }
  return fields > 0;
}

export const UpdateTrackData = z.strictObject({ track_id: IdSchema, changes: TrackChangesSchema });

export const AddPluginData = z.strictObject({
  track_id: IdSchema,
  plugin: PluginSpecSchema,
  index: index.optional(),
  position: position.optional(),
});

/** Reorders a track; `index` counts the other tracks (the mixer without the moved one). */
export const MoveTrackData = z.strictObject({ track_id: IdSchema, index, position: position.optional() });

export const PluginRefData = z.strictObject({ track_id: IdSchema, plugin_id: IdSchema });
export const BypassPluginData = z.strictObject({ track_id: IdSchema, plugin_id: IdSchema, bypass: z.boolean() });
export const MovePluginData = z.strictObject({
  track_id: IdSchema, plugin_id: IdSchema, index, position: position.optional(),
});

export const LoadPresetData = z.strictObject({
  track_id: IdSchema,
  plugin_id: IdSchema,
  preset_id: IdSchema,
  params: z.record(paramId, z.number()).optional(),
});

export const SavePresetData = z.strictObject({ preset: PresetSchema });

export const UpdateSessionData = z.strictObject({
  changes: z.strictObject({
    name: OpNameSchema.optional(),
    tempo_bpm: z.number().min(TEMPO_RANGE.min).max(TEMPO_RANGE.max).optional(),
    /** The shared transport: every device with audio on plays while it is true. */
    playing: z.boolean().optional(),
    /** Where the shared transport is: when it was at position 0 (see the document's `started_at`); sent with Play. */
    started_at: StartedAtSchema.optional(),
  }).refine((c) => Object.keys(c).length > 0, 'must change at least one field'),
});

const opVariant = <T extends string, D extends z.ZodType>(type: T, data: D) =>
  z.strictObject({ id: IdSchema, type: z.literal(type), hlc: HlcSchema.optional(), data });

/** Every op that changes a session document, as it appears inside a BATCH. */
export const OpSchema = z.discriminatedUnion('type', [
  opVariant('PLUGIN_PARAMETER', PluginParameterData),
  opVariant('ADD_TRACK', AddTrackData),
  opVariant('REMOVE_TRACK', RemoveTrackData),
  opVariant('UPDATE_TRACK', UpdateTrackData),
  opVariant('MOVE_TRACK', MoveTrackData),
  opVariant('ADD_PLUGIN', AddPluginData),
  opVariant('REMOVE_PLUGIN', PluginRefData),
  opVariant('MOVE_PLUGIN', MovePluginData),
  opVariant('BYPASS_PLUGIN', BypassPluginData),
  opVariant('LOAD_PRESET', LoadPresetData),
  opVariant('SAVE_PRESET', SavePresetData),
  opVariant('UPDATE_SESSION', UpdateSessionData),
]);
export type Op = z.infer<typeof OpSchema>;
export type OpType = Op['type'];
/** The data of the op of type `T`. */
export type OpData<T extends OpType> = Extract<Op, { type: T }>['data'];

/** Most ops one BATCH may carry. */
export const MAX_BATCH_OPS = 256;

export const BatchData = z.strictObject({ ops: z.array(OpSchema).min(1).max(MAX_BATCH_OPS) });
export const BatchSchema = opVariant('BATCH', BatchData);
export type Batch = z.infer<typeof BatchSchema>;

/** An op or a batch of ops: what `model/apply` takes. */
export type AnyOp = Op | Batch;

/**
 * Whether an op may travel as an in-gesture (ephemeral) value: fanned out,
 * not logged, not acked. Only what a fader or knob sends while it moves
 * qualifies — one param, a track's gain/pan — or a BATCH of those, so a
 * tablet riding several faders sends one frame per animation frame.
 */
export function isGestureValue(op: AnyOp): boolean {
  switch (op.type) {
    case 'PLUGIN_PARAMETER':
      return true;
    case 'UPDATE_TRACK': {
      const fields = Object.keys(op.data.changes);
      return fields.length > 0 && fields.every((f) => f === 'gain_db' || f === 'pan');
    }
    case 'BATCH':
      return op.data.ops.every(isGestureValue);
    default:
      return false;
  }
}

/** Op types that change the document (everything but PRESENCE/AUTH). */
export const OP_TYPES = [
  'PLUGIN_PARAMETER', 'ADD_TRACK', 'REMOVE_TRACK', 'UPDATE_TRACK', 'MOVE_TRACK', 'ADD_PLUGIN', 'REMOVE_PLUGIN',
  'MOVE_PLUGIN', 'BYPASS_PLUGIN', 'LOAD_PRESET', 'SAVE_PRESET', 'UPDATE_SESSION', 'BATCH',
] as const satisfies readonly AnyOp['type'][];
