/** The relay client: connection, backoff, resume, outbox flush, presence (SPEC §2 `sync/`). */
export { SyncSession } from './sync-session.ts';
export type { SyncHost, OutboxPort, SyncStatus, SyncState, SyncSessionOptions } from './types.ts';
export { RelaySocket, readRelayFrame, type WebSocketCtor, type WebSocketLike } from './relay-socket.ts';
export { Diagnostics, matchesFilter, LOG_CAPACITY, SLOW_MS, type WireEntry, type EntryFilter, type RoundTrips } from './diagnostics.ts';
export { backoffDelay, DEFAULT_BACKOFF, type BackoffOptions } from './backoff.ts';
export { decodeClaims, isExpired, canEdit, canPublish, type TokenClaims } from './jwt.ts';
export {
  takeLinkCredentials, saveLinkCredentials, saveAccessToken, credentialFor, linkFor, nameFor, tokenKey, accessKey, nameKey, type Credential, type SettingsPort,
} from './credentials.ts';
export { createInvite, listInvites, listRelaySessions, revokeInvite, publishSession, fetchSession } from './http.ts';
export { Roster, colorFor, type Member } from './presence.ts';
export { GestureStream } from './gesture-stream.ts';
export { LocalOps } from './local-ops.ts';
export { storedOutbox, type OutboxStore } from './stored-outbox.ts';
export { readStoredOp } from './wire.ts';
export { compactionKey, type CompactionKey } from './compaction.ts';
export { STUCK_MS } from './sender.ts';
