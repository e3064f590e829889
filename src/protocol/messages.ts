import { z } from 'zod';
import { ERROR_CODES } from './errors.ts';
import { HlcSchema, IdSchema } from './ids.ts';
import {
  AddPluginData, AddTrackData, BatchData, BypassPluginData, LoadPresetData, MovePluginData, MoveTrackData, PluginParameterData,
  PluginRefData, RemoveTrackData, SavePresetData, UpdateSessionData, UpdateTrackData,
} from './ops.ts';
import { SessionDocumentSchema } from './session.ts';

/** Roles from the token's `role` claim (SPEC §7). */
export const ROLES = ['admin', 'owner', 'editor', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

/** What a member is touching right now: shown to others, never stored. */
export const PresenceDataSchema = z.strictObject({
  name: z.string().max(80).optional(),
  color: z.string().regex(/^#[0-9a-fA-F]{6}$/).optional(),
  touching: z.strictObject({
    track_id: IdSchema,
    plugin_id: IdSchema.optional(),
    parameter_id: z.string().regex(/^[a-z][a-z0-9_]{0,31}$/).optional(),
  }).nullable().optional(),
  /** Whether this device plays the session ("Audio on this device"): surfaces say when no one does. */
  audio: z.boolean().optional(),
});
export type PresenceData = z.infer<typeof PresenceDataSchema>;

/** Most tracks one METERS frame carries (the master bus included). */
export const METERS_MAX_TRACKS = 65;

/**
 * Levels of an audio host, sent 30 times a second while it plays (SPEC §5):
 * ephemeral, fanned out like in-gesture values, never logged.
 */
export const MetersDataSchema = z.strictObject({
  /** When the levels were read: the sender's `performance.timeOrigin + performance.now()`, ms since the epoch. */
  at: z.number().finite(),
  /** The step of the 16-step pattern the engine is on (the playhead); null when stopped. */
  step: z.number().int().min(0).max(15).nullable(),
  /** Per track id (and `master`): [peak, rms] in dBFS, rounded to 0.1. */
  levels: z.record(IdSchema, z.tuple([z.number().min(-200).max(60), z.number().min(-200).max(60)]))
    .refine((l) => Object.keys(l).length <= METERS_MAX_TRACKS, `at most ${METERS_MAX_TRACKS} tracks`),
});
export type MetersData = z.infer<typeof MetersDataSchema>;

/** How often an audio host sends its levels (SPEC §5). */
export const METERS_PER_SECOND = 30;
/** The relay's budget for one connection's METERS frames, apart from its op budget (a little slack over 30 Hz). */
export const METERS_MAX_PER_SECOND = 40;
/** How a METERS frame starts as the app serializes it: the relay picks its budget before parsing. */
export const METERS_PREFIX = '{"type":"METERS"';

const envelope = {
  id: IdSchema,
  session_id: IdSchema,
  hlc: HlcSchema.optional(),
  /** Sent by some clients; ignored: the relay takes the user from the token. */
  user_id: z.string().max(256).optional(),
};

/**
 * A client -> relay frame. Ops carry the envelope of SPEC §5; `ephemeral`
 * marks an in-gesture param value that is fanned out but not logged or acked.
 */
const clientOp = <T extends string, D extends z.ZodType>(type: T, data: D) =>
  z.strictObject({ ...envelope, type: z.literal(type), ephemeral: z.boolean().optional(), data });

export const ClientMessageSchema = z.discriminatedUnion('type', [
  clientOp('PLUGIN_PARAMETER', PluginParameterData),
  clientOp('ADD_TRACK', AddTrackData),
  clientOp('REMOVE_TRACK', RemoveTrackData),
  clientOp('UPDATE_TRACK', UpdateTrackData),
  clientOp('MOVE_TRACK', MoveTrackData),
  clientOp('ADD_PLUGIN', AddPluginData),
  clientOp('REMOVE_PLUGIN', PluginRefData),
  clientOp('MOVE_PLUGIN', MovePluginData),
  clientOp('BYPASS_PLUGIN', BypassPluginData),
  clientOp('LOAD_PRESET', LoadPresetData),
  clientOp('SAVE_PRESET', SavePresetData),
  clientOp('UPDATE_SESSION', UpdateSessionData),
  clientOp('BATCH', BatchData),
  z.strictObject({ ...envelope, type: z.literal('PRESENCE'), data: PresenceDataSchema }),
  z.strictObject({ ...envelope, type: z.literal('METERS'), data: MetersDataSchema }),
  /** A fresh token before the current one expires keeps the socket open. */
  z.strictObject({ ...envelope, type: z.literal('AUTH'), data: z.strictObject({ token: z.string().min(1).max(8192) }) }),
]);
export type ClientMessage = z.infer<typeof ClientMessageSchema>;
/** A client frame that changes the document. */
export type ClientOpMessage = Exclude<ClientMessage, { type: 'PRESENCE' | 'AUTH' | 'METERS' }>;
/** Client frames that are not ops (never applied, logged or acked). */
export const NON_OP_TYPES = ['PRESENCE', 'AUTH', 'METERS'] as const;
/** Whether a client frame is an op. */
export const isOpMessage = (m: ClientMessage): m is ClientOpMessage => !(NON_OP_TYPES as readonly string[]).includes(m.type);

const errorData = z.strictObject({ code: z.enum(ERROR_CODES), message: z.string(), field: z.string().optional() });

/** Relay -> client frames (SPEC §5). */
export const WelcomeSchema = z.strictObject({
  type: z.literal('WELCOME'),
  data: z.strictObject({
    session_id: IdSchema, user_id: z.string(), role: z.enum(ROLES), seq: z.number().int().min(0),
    /** The relay's per-connection message rate: clients pace their outbox flush under it. */
    max_messages_per_second: z.number().int().min(1).optional(),
  }),
});
export const SnapshotSchema = z.strictObject({
  type: z.literal('SNAPSHOT'),
  seq: z.number().int().min(0),
  data: z.strictObject({ document: SessionDocumentSchema }),
});
export const SyncedSchema = z.strictObject({ type: z.literal('SYNCED'), seq: z.number().int().min(0) });
export const AckSchema = z.strictObject({
  type: z.literal('ack'),
  id: IdSchema,
  seq: z.number().int().min(0),
  /** Set when the op lost to a concurrent removal: acked, but changed nothing. */
  superseded: z.boolean().optional(),
});
/** A fresh access token for an invited device, sent before its current one expires (within the invite's lifetime). */
export const TokenSchema = z.strictObject({
  type: z.literal('TOKEN'),
  data: z.strictObject({ token: z.string().min(1).max(8192), expires_at: z.number().int().min(0) }),
});
export const ErrorMessageSchema = z.strictObject({ type: z.literal('error'), id: IdSchema.optional(), data: errorData });
export const PresenceBroadcastSchema = z.strictObject({
  type: z.literal('PRESENCE'),
  session_id: IdSchema,
  data: PresenceDataSchema.extend({ user_id: z.string(), connection_id: z.string(), left: z.boolean().optional() }),
});
/** An audio host's levels as fanned out to the other members. */
export const MetersBroadcastSchema = z.strictObject({
  type: z.literal('METERS'),
  session_id: IdSchema,
  data: MetersDataSchema.extend({ connection_id: z.string() }),
});
export type MetersBroadcast = z.infer<typeof MetersBroadcastSchema>;
/** An applied op as fanned out to the other members: the envelope + seq + `data.changed_by`. */
export const OpBroadcastSchema = z.object({
  id: IdSchema,
  type: z.string(),
  session_id: IdSchema,
  hlc: HlcSchema,
  seq: z.number().int().min(0),
  ephemeral: z.boolean().optional(),
  data: z.looseObject({ changed_by: z.string() }),
});

export const RelayMessageSchema = z.union([
  WelcomeSchema, SnapshotSchema, SyncedSchema, AckSchema, ErrorMessageSchema, PresenceBroadcastSchema, TokenSchema, MetersBroadcastSchema, OpBroadcastSchema,
]);
export type RelayMessage = z.infer<typeof RelayMessageSchema>;
export type OpBroadcast = z.infer<typeof OpBroadcastSchema>;
