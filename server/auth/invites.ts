/**
 * Invites (SPEC §6): the owner mints a link for a role, a lifetime and a
 * purpose, lists the links of a session and revokes one. A token minted for
 * an invite carries its id (`inv`); such a token is only as good as its
 * invite — past the invite's lifetime, or once revoked, it is refused however
 * far its own `exp` is. Kept in their own SQLite file beside the session
 * store (`invites.sqlite`) so a revocation survives a restart.
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
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

/** The relay's invites; `onRevoked` listeners close the revoked invite's connections. */
export class InviteBook {
  private readonly db: Database.Database;
  private readonly listeners = new Set<(invite: InviteRecord) => void>();

  /** Opens (creating) `<dataDir>/invites.sqlite`. */
  constructor(dataDir: string, private readonly now: () => number = Date.now) {
    mkdirSync(dataDir, { recursive: true });
    this.db = new Database(join(dataDir, 'invites.sqlite'));
    this.db.pragma('journal_mode = WAL');
    this.db.exec(SCHEMA);
  }

  /** Mints an invite record (the caller signs its token). */
  create(input: { sessionId: string; role: InviteRole; user: string; purpose: InvitePurpose; lifetime: InviteLifetime }): InviteRecord {
    const created = this.now();
    const seconds = INVITE_LIFETIME_S[input.lifetime];
    const record: InviteRecord = {
      id: newId('inv'), session_id: input.sessionId, role: input.role, user: input.user, purpose: input.purpose,
      lifetime: input.lifetime, created_at: created, expires_at: seconds === null ? null : created + seconds * 1000, revoked_at: null,
    };
    this.db.prepare('INSERT INTO invites (id, session_id, role, user_id, purpose, lifetime, created_at, expires_at, revoked_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL)')
      .run(record.id, record.session_id, record.role, record.user, record.purpose, record.lifetime, record.created_at, record.expires_at);
    return record;
  }

  /** One invite, or undefined. */
  get(id: string): InviteRecord | undefined {
    const row = this.db.prepare('SELECT * FROM invites WHERE id = ?').get(id) as Row | undefined;
    return row ? toRecord(row) : undefined;
  }

  /** A session's invites, newest first. */
  list(sessionId: string): InviteRecord[] {
    return (this.db.prepare('SELECT * FROM invites WHERE session_id = ? ORDER BY created_at DESC').all(sessionId) as Row[]).map(toRecord);
  }

  /** Revokes an invite of `sessionId`; answers it (already revoked: unchanged), or undefined when there is none. */
  revoke(sessionId: string, id: string): InviteRecord | undefined {
    const found = this.get(id);
    if (!found || found.session_id !== sessionId) return undefined;
    if (found.revoked_at !== null) return found;
    const revoked = { ...found, revoked_at: this.now() };
    this.db.prepare('UPDATE invites SET revoked_at = ? WHERE id = ?').run(revoked.revoked_at, id);
    for (const l of this.listeners) l(revoked);
    return revoked;
  }

  /** Whether a token of this invite works now. */
  problem(id: string): InviteProblem {
    const found = this.get(id);
    if (!found) return 'unknown';
    if (found.revoked_at !== null) return 'revoked';
    if (found.expires_at !== null && found.expires_at <= this.now()) return 'expired';
    return null;
  }

  /** Calls `listener` with each invite revoked from now on. */
  onRevoked(listener: (invite: InviteRecord) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  close(): void {
    this.db.close();
  }
}
