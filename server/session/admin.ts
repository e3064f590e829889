/**
 * The operator's view of stored sessions (`GET/DELETE /api/sessions`,
 * `outboard sessions`), whichever store is under the relay: the single
 * node's SQLite file ({@link singleNodeAdmin}) or Redis shared by a cluster
 * (server/cluster/admin.ts).
 */
import type { SqliteStore } from '../store/sqlite.ts';
import type { SessionRegistry } from './registry.ts';

/** One stored session as the operator sees it. */
export interface SessionInfo {
  readonly id: string;
  readonly name: string;
  readonly seq: number;
  /** Bytes of its snapshot and its kept log. */
  readonly size: number;
  /** Members connected now (on every node of a cluster). */
  readonly members: number;
  /** ms since the epoch of its last stored change. */
  readonly updatedAt: number;
  /** `sub` of the token that created it; null when not recorded. */
  readonly createdBy: string | null;
}

/** Listing and deleting stored sessions. */
export interface SessionAdmin {
  /** Stored sessions, newest change first; only those `createdBy` created when given. */
  list(createdBy?: string): Promise<SessionInfo[]>;
  /** Who created a session: undefined when it does not exist, null when not recorded. */
  creatorOf(id: string): Promise<string | null | undefined>;
  /** Deletes a session: its members (on every node) are closed with `reason`, its snapshot and log removed. */
  delete(id: string, reason: string): Promise<boolean>;
}

/** The single node's sessions: the SQLite file, with the live hubs' newer name, seq and members. */
export function singleNodeAdmin(store: SqliteStore, registry: SessionRegistry): SessionAdmin {
  return {
    async list(createdBy) {
      return store.list(createdBy).map((s) => {
        // A loaded session may be ahead of its last stored snapshot: its name and seq come from the live hub.
        const hub = registry.loaded(s.id);
        return {
          id: s.id, name: hub?.doc.name ?? s.name, seq: hub?.committedSeq ?? s.seq, size: s.size,
          members: hub?.members.size ?? 0, updatedAt: s.updatedAt, createdBy: s.createdBy ?? null,
        };
      });
    },
    async creatorOf(id) {
      const creator = store.creatorOf(id);
      return creator === undefined && registry.loaded(id) ? null : creator;
    },
    async delete(id, reason) {
      return registry.delete(id, reason);
    },
  };
}
