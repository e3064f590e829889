import type { HlcClock, StampedOp } from '../model/index.ts';
import type { OutboardError } from '../protocol/errors.ts';
import type { MetersBroadcast, Role } from '../protocol/messages.ts';
import type { SessionDocument } from '../protocol/session.ts';
import type { BackoffOptions } from './backoff.ts';
import type { Credential } from './credentials.ts';
import type { Diagnostics } from './diagnostics.ts';
import type { Roster } from './presence.ts';
import type { WebSocketCtor } from './relay-socket.ts';

/** The document side of the app: what the sync feeds and reads. */
export interface SyncHost {
  /** The document the user sees (null while the invited session has not arrived). */
  readonly doc: SessionDocument | null;
  readonly clock: HlcClock;
  /** Applies a remote op through the model, like a local one (the clock observes its stamp). */
  applyRemote(op: StampedOp): void;
  /** Replaces the shown document: a snapshot arrived, or a refused op was rolled back. */
  replaceDocument(doc: SessionDocument): void;
}

/** The durable local ops waiting for the relay (IndexedDB in the app, a list in tests). */
export interface OutboxPort {
  /** Every waiting op of a session, in the order made (after pending local writes land). */
  list(sessionId: string): Promise<StampedOp[]>;
  /** Deletes the entries of these op ids. */
  remove(sessionId: string, opIds: readonly string[]): Promise<void>;
}

/** Connection state as the status chip says it. */
export type SyncState = 'offline' | 'connecting' | 'synced';

/** What the UI shows of the sync. */
export interface SyncStatus {
  readonly state: SyncState;
  /** Durable local ops not yet acked. */
  readonly waiting: number;
  /** Of those, ops sent and unanswered for more than 5 s while connected (retried over a fresh connection). */
  readonly stuck: number;
  /** The role the relay granted (WELCOME), else the token's claim. */
  readonly role: Role;
  readonly userId: string;
  /** Why the relay refused the connection, when it did. */
  readonly refusal: OutboardError | null;
}

/** Options for {@link SyncSession}. */
export interface SyncSessionOptions {
  readonly sessionId: string;
  /** The token to join with (an access token, a link's, or the admin's). */
  readonly credential: Credential;
  /**
   * The link's own token, when `credential` is an access token the relay
   * handed out: used once the access token is refused (UNAUTHORIZED leads to
   * a refresh, not a dead end).
   */
  readonly fallback?: Credential;
  /** The relay handed a fresh access token over the socket: keep it for the next join. */
  readonly onToken?: (token: string) => void;
  /** The relay's origin, `http(s)://host:port`. */
  readonly base: string;
  /** Origins of further relay nodes of the same cluster (docs/deploy.md): the client stays on one that works and moves to the next after a failed connection attempt. */
  readonly relays?: readonly string[];
  readonly WebSocket: WebSocketCtor;
  readonly host: SyncHost;
  readonly outbox: OutboxPort;
  readonly backoff?: BackoffOptions;
  /** Liveness check while connected (ms): an AUTH round trip every `heartbeatMs`, dead after `heartbeatTimeoutMs` unanswered. */
  readonly heartbeatMs?: number;
  readonly heartbeatTimeoutMs?: number;
  readonly fetch?: typeof fetch;
  /** Records the frames and round trips of this session (the Diagnostics view). */
  readonly diagnostics?: Diagnostics;
  /** Whether this device plays the session, sent with presence (see `SyncSession.setAudio`). */
  readonly audio?: boolean;
  /** Display name sent with presence. */
  readonly name?: string;
  /** Changes: status, presence, a refused op (already rolled back). */
  readonly onStatus?: (status: SyncStatus) => void;
  readonly onPresence?: (roster: Roster) => void;
  /** Another member's levels (an audio host's METERS frame). */
  readonly onMeters?: (data: MetersBroadcast['data']) => void;
  readonly onRefused?: (error: OutboardError, op: StampedOp | undefined) => void;
  readonly onInvalidFrame?: (raw: string, reason: string) => void;
}
