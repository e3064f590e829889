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
});
export type PresenceData = z.infer<typeof PresenceDataSchema>;

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
  /** A fresh token before the current one expires keeps the socket open. */
  z.strictObject({ ...envelope, type: z.literal('AUTH'), data: z.strictObject({ token: z.string().min(1).max(8192) }) }),
]);
export type ClientMessage = z.infer<typeof ClientMessageSchema>;
/** A client frame that changes the document. */
export type ClientOpMessage = Exclude<ClientMessage, { type: 'PRESENCE' | 'AUTH' }>;

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
  WelcomeSchema, SnapshotSchema, SyncedSchema, AckSchema, ErrorMessageSchema, PresenceBroadcastSchema, TokenSchema, OpBroadcastSchema,
]);
export type RelayMessage = z.infer<typeof RelayMessageSchema>;
export type OpBroadcast = z.infer<typeof OpBroadcastSchema>;
