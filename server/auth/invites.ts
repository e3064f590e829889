/**
 * Invites (SPEC §6): the owner mints a link for a role, a lifetime and a
 * purpose, lists the links of a session and revokes one. A token minted for
 * an invite carries its id (`inv`); such a token is only as good as its
 * invite — past the invite's lifetime, or once revoked, it is refused however
 * far its own `exp` is. The single node keeps them in their own SQLite file
 * beside the session store (`invites.sqlite`, {@link InviteBook}) so a
 * revocation survives a restart; a cluster keeps them in Redis
 * (server/cluster/invites.ts), so any node lists and revokes any invite.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { makeFolder } from '../make-folder.ts';
import { newId } from '../../src/protocol/ids.ts';
import type { InviteLifetime, InvitePurpose, InviteRole } from '../../src/protocol/invites.ts';
import { INVITE_LIFETIME_S } from '../../src/protocol/invites.ts';

/** One invite as stored and listed. */
export interface InviteRecord {
  readonly id: string;
  readonly session_id: string;
  readonly role: InviteRole;
  readonly user: string;
  readonly purpose: InvitePurpose;
  readonly lifetime: InviteLifetime;
  /** ms since the epoch. */
  readonly created_at: number;
  /** ms since the epoch; null: until revoked. */
  readonly expires_at: number | null;
  /** ms since the epoch; null while it stands. */
  readonly revoked_at: number | null;
}

/** Why an invite's token no longer works, or null when it does. */
export type InviteProblem = 'unknown' | 'revoked' | 'expired' | null;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS invites (
  id TEXT PRIMARY KEY,
  session_id TEXT NOT NULL,
  role TEXT NOT NULL,
  user_id TEXT NOT NULL,
  purpose TEXT NOT NULL,
  lifetime TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER,
  revoked_at INTEGER
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS invites_by_session ON invites (session_id, created_at);
`;

interface Row {
  id: string; session_id: string; role: string; user_id: string; purpose: string; lifetime: string;
  created_at: number; expires_at: number | null; revoked_at: number | null;
}

const toRecord = (r: Row): InviteRecord => ({
  id: r.id, session_id: r.session_id, role: r.role as InviteRole, user: r.user_id, purpose: r.purpose as InvitePurpose,
  lifetime: r.lifetime as InviteLifetime, created_at: r.created_at, expires_at: r.expires_at, revoked_at: r.revoked_at,
});

/** Where a relay keeps its invites. */
export interface Invites {
  /** Mints an invite record (the caller signs its token). */
  create(input: { sessionId: string; role: InviteRole; user: string; purpose: InvitePurpose; lifetime: InviteLifetime }): Promise<InviteRecord>;
  /** One invite, or undefined. */
  get(id: string): Promise<InviteRecord | undefined>;
  /** A session's invites, newest first. */
  list(sessionId: string): Promise<InviteRecord[]>;
  /** Revokes an invite of `sessionId`; answers it (already revoked: unchanged), or undefined when there is none. */
  revoke(sessionId: string, id: string): Promise<InviteRecord | undefined>;
  /** Whether a token of this invite works now. */
  problem(id: string): Promise<InviteProblem>;
  /** Forgets every invite of a deleted session, so no old link opens a new session that reuses its id. */
  removeSession(sessionId: string): Promise<void>;
  /** Calls `listener` with each invite revoked from now on (on a cluster: revoked on any node). */
  onRevoked(listener: (invite: InviteRecord) => void): () => void;
  /** Releases what it holds (the single node's file). */
  close(): void;
}

/** Creates an invite record for `input` at `created` (ms). */
export function newInvite(input: Parameters<Invites['create']>[0], created: number): InviteRecord {
  const seconds = INVITE_LIFETIME_S[input.lifetime];
  return {
    id: newId('inv'), session_id: input.sessionId, role: input.role, user: input.user, purpose: input.purpose,
    lifetime: input.lifetime, created_at: created, expires_at: seconds === null ? null : created + seconds * 1000, revoked_at: null,
  };
}

/** Why an invite's token no longer works at `now`, or null when it does. */
export function inviteProblem(found: InviteRecord | undefined, now: number): InviteProblem {
  if (!found) return 'unknown';
  if (found.revoked_at !== null) return 'revoked';
  if (found.expires_at !== null && found.expires_at <= now) return 'expired';
  return null;
}

/** The single node's invites in `invites.sqlite`; `onRevoked` listeners close the revoked invite's connections. */
export class InviteBook implements Invites {
  private readonly db: Database.Database;
  private readonly listeners = new Set<(invite: InviteRecord) => void>();

  /** Opens (creating) `<dataDir>/invites.sqlite`. */
  constructor(dataDir: string, private readonly now: () => number = Date.now) {
    makeFolder(dataDir);
    this.db = new Database(join(dataDir, 'invites.sqlite'));
    this.db.pragma('journal_mode = WAL');
    this.db.exec(SCHEMA);
  }

  async create(input: Parameters<Invites['create']>[0]): Promise<InviteRecord> {
    const record = newInvite(input, this.now());
    this.db.prepare('INSERT INTO invites (id, session_id, role, user_id, purpose, lifetime, created_at, expires_at, revoked_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL)')
      .run(record.id, record.session_id, record.role, record.user, record.purpose, record.lifetime, record.created_at, record.expires_at);
    return record;
  }

  async get(id: string): Promise<InviteRecord | undefined> {
    const row = this.db.prepare('SELECT * FROM invites WHERE id = ?').get(id) as Row | undefined;
    return row ? toRecord(row) : undefined;
  }

  async list(sessionId: string): Promise<InviteRecord[]> {
    return (this.db.prepare('SELECT * FROM invites WHERE session_id = ? ORDER BY created_at DESC').all(sessionId) as Row[]).map(toRecord);
  }

  async revoke(sessionId: string, id: string): Promise<InviteRecord | undefined> {
    const found = await this.get(id);
    if (!found || found.session_id !== sessionId) return undefined;
    if (found.revoked_at !== null) return found;
    const revoked = { ...found, revoked_at: this.now() };
    this.db.prepare('UPDATE invites SET revoked_at = ? WHERE id = ?').run(revoked.revoked_at, id);
    for (const l of this.listeners) l(revoked);
    return revoked;
  }

  async problem(id: string): Promise<InviteProblem> {
    return inviteProblem(await this.get(id), this.now());
  }

  async removeSession(sessionId: string): Promise<void> {
    this.db.prepare('DELETE FROM invites WHERE session_id = ?').run(sessionId);
  }

  onRevoked(listener: (invite: InviteRecord) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  close(): void {
    this.db.close();
  }
}
