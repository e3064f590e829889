import { z } from 'zod';
import { HlcSchema, IdSchema, MASTER_TRACK_ID } from './ids.ts';
import { PARAM_ID_PATTERN, PresetSchema } from './plugin.ts';

/** Current document format; older formats are migrated on load. */
export const SESSION_FORMAT = 'outboard.session/1';

export const TEMPO_RANGE = { min: 20, max: 300 } as const;
/** A wall-clock instant: whole ms since the Unix epoch (the shared transport's `started_at`). */
export const StartedAtSchema = z.number().int().min(0).max(8.64e15);
export const TRACK_GAIN_RANGE = { min: -60, max: 12 } as const;
export const PATTERN_STEPS = 16;

/** A track's param values: param id -> number in the param's own unit. */
export const ParamValuesSchema = z.record(z.string().regex(PARAM_ID_PATTERN), z.number());

/** One plugin in a chain. `type` is a catalog id. */
export const PluginInstanceSchema = z.strictObject({
  id: IdSchema,
  type: z.string().regex(PARAM_ID_PATTERN),
  bypass: z.boolean().default(false),
  params: ParamValuesSchema.default({}),
});
export type PluginInstance = z.infer<typeof PluginInstanceSchema>;

/**
 * What feeds a track. An instrument track (chain starting with `synth`) plays
 * its pattern whatever the source; `bus` tracks are fed by other tracks' sends.
 */
export const SourceSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('none') }),
  z.strictObject({ kind: z.literal('file'), sample_id: IdSchema, name: z.string().max(200).default('') }),
  z.strictObject({ kind: z.literal('input') }),
  z.strictObject({ kind: z.literal('bus') }),
]);
export type Source = z.infer<typeof SourceSchema>;

/**
 * A 16-step pattern: each step is a MIDI note or null for a rest. Steps are
 * sixteenth notes at the session tempo.
 */
export const PatternSchema = z.strictObject({
  steps: z.array(z.number().int().min(0).max(127).nullable()).length(PATTERN_STEPS),
});
export type Pattern = z.infer<typeof PatternSchema>;

/** A post-fader send to a bus track. */
export const SendSchema = z.strictObject({
  target: IdSchema,
  gain_db: z.number().min(TRACK_GAIN_RANGE.min).max(TRACK_GAIN_RANGE.max),
});
export type Send = z.infer<typeof SendSchema>;

const trackShape = {
  id: IdSchema,
  name: z.string().max(200),
  source: SourceSchema.default({ kind: 'none' }),
  gain_db: z.number().min(TRACK_GAIN_RANGE.min).max(TRACK_GAIN_RANGE.max).default(0),
  pan: z.number().min(-1).max(1).default(0),
  mute: z.boolean().default(false),
  solo: z.boolean().default(false),
  chain: z.array(PluginInstanceSchema).default([]),
  /** null: the engine plays the default pattern (so Play always makes sound). */
  pattern: PatternSchema.nullable().default(null),
  sends: z.array(SendSchema).default([]),
};

/** A track; omitted fields take defaults. */
export const TrackSchema = z.strictObject(trackShape);
export type Track = z.infer<typeof TrackSchema>;
/** A track as a client may send it in ADD_TRACK (defaults not yet filled). */
export type TrackInput = z.input<typeof TrackSchema>;

/** The master bus: a track whose id is always `master`. */
export const MasterSchema = z.strictObject({ ...trackShape, id: z.literal(MASTER_TRACK_ID) });

/**
 * Convergence metadata, kept in the document so a session saved offline can
 * be merged later exactly as its ops would have been.
 * - `clocks`: register key -> HLC of the write that set it (last writer wins).
 * - `positions`: list element key -> fractional order key (see model/order.ts).
 * - `tombstones`: removed element key -> HLC of the removal (removals win).
 */
export const MetaSchema = z.strictObject({
  clocks: z.record(z.string(), HlcSchema).default({}),
  positions: z.record(z.string(), z.string()).default({}),
  tombstones: z.record(z.string(), HlcSchema).default({}),
});
export type Meta = z.infer<typeof MetaSchema>;

/** The session document (SPEC §3). */
export const SessionDocumentSchema = z.strictObject({
  format: z.literal(SESSION_FORMAT),
  id: IdSchema,
  name: z.string().max(200),
  tempo_bpm: z.number().min(TEMPO_RANGE.min).max(TEMPO_RANGE.max).default(120),
  /** The shared transport (`UPDATE_SESSION`): absent or false, stopped. */
  playing: z.boolean().optional(),
  /**
   * The shared transport's position: when (ms since the Unix epoch, on the
   * clock of the device that pressed Play) it was at 0. Every device with
   * audio on plays `now - started_at` into the session, so two hosts play in
   * step and one that joins later starts where the others are. Absent: from 0.
   */
  started_at: StartedAtSchema.optional(),
  tracks: z.array(TrackSchema).default([]),
  master: MasterSchema.default({
    id: MASTER_TRACK_ID, name: 'Master', source: { kind: 'none' }, gain_db: 0, pan: 0,
    mute: false, solo: false, chain: [], pattern: null, sends: [],
  }),
  presets: z.array(PresetSchema).default([]),
  meta: MetaSchema.default({ clocks: {}, positions: {}, tombstones: {} }),
});
export type SessionDocument = z.infer<typeof SessionDocumentSchema>;
export type SessionDocumentInput = z.input<typeof SessionDocumentSchema>;
