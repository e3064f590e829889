/**
 * The session layer as the routes and sockets see it, whichever store is
 * under it: {@link SessionRegistry} (one node, SQLite) or ClusterRegistry
 * (several nodes, Redis; server/cluster/). Opening is asynchronous because a
 * cluster node loads a session from Redis.
 */
import type { Result } from '../../src/protocol/errors.ts';
import type { MetersData, PresenceData } from '../../src/protocol/messages.ts';
import type { AnyOp } from '../../src/protocol/ops.ts';
import type { SessionDocument } from '../../src/protocol/session.ts';
import type { Change, Member, SubmitOptions } from './hub.ts';

/** Thrown by {@link Sessions.open} while the store cannot be reached (a cluster node without Redis): answered 503 ENGINE_ERROR. */
export class StorageDown extends Error {}

/** Awaits `call`, turning a failure of the store into {@link StorageDown} (an operator route answers 503, not 500). */
export async function storageCall<T>(call: Promise<T>): Promise<T> {
  try {
    return await call;
  } catch (error) {
    throw error instanceof StorageDown ? error : new StorageDown(`the relay cannot reach its storage (Redis): ${(error as Error).message}`);
  }
}

/** One live session. */
export interface Hub {
  readonly id: string;
  /** The last seq this node knows to be durable. */
  readonly committedSeq: number;
  /** The document as of {@link committedSeq} when nothing is pending. */
  readonly doc: SessionDocument;
  /** Set once the hub no longer matches its store; it is dropped and reloads on next use. */
  readonly broken: boolean;
  /** Whether anyone is attached (members or streams) or anything pending. */
  readonly idle: boolean;
  /** Stamps, validates and queues one op; a refusal is answered at once, an acceptance through `done` once durable. */
  submit(input: AnyOp, user: string, options?: SubmitOptions): Result<void>;
  /** Calls `callback` once nothing is pending. */
  whenSettled(callback: () => void): void;
  /** WELCOME, then SNAPSHOT or the ops after `since`, then SYNCED. */
  join(member: Member, since: number | undefined): void;
  leave(member: Member): void;
  setPresence(member: Member, data: PresenceData): void;
  /** Fans an audio host's levels (METERS) out to the other members; never logged. */
  meters(member: Member, data: MetersData): void;
  /**
   * Calls `listener` with every committed change; returns the unsubscribe.
   * `keepsLoaded: false`: the listener does not keep the hub from being
   * released (it goes with the hub), for a cache that only lives alongside it.
   */
  subscribe(listener: (change: Change) => void, keepsLoaded?: boolean): () => void;
  /** Calls `callback` if the session is deleted (event streams end then); returns the unsubscribe. */
  onEnd(callback: () => void): () => void;
}

/** The live sessions of this node. */
export interface Sessions {
  /** The hub of `id`, loading it; undefined when the session does not exist. Rejects with {@link StorageDown} when the store is down. */
  open(id: string): Promise<Hub | undefined>;
  /** The hub of `id`, creating an empty session (owner/admin join, publish) when missing; `creator` is recorded where the store keeps it. */
  openOrCreate(id: string, creator?: string): Promise<Hub>;
  /** Merges a whole published document into `id` (creating it), op by op; resolves when durable. */
  publish(id: string, incoming: SessionDocument, user: string): Promise<Result<{ seq: number; document: SessionDocument }>>;
  /** Drops a hub nobody uses, after a grace period. */
  release(hub: Hub): void;
  /** Commits and answers whatever is pending (shutdown). */
  drain(): Promise<void>;
  readonly live: number;
  /** Durable ops committed by this node since start, and the commits (or appends) that carried them. */
  readonly committedOps: number;
  readonly commits: number;
}
