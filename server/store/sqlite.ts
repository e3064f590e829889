/**
 * The embedded store: one SQLite file in WAL mode. `sessions` holds each
 * document as of `snapshot_seq` plus the head `seq`; `ops` is the log, one
 * row per acked op, so a document is its snapshot plus the ops after it and a
 * client resumes from any `since`. Every write goes through {@link SqliteStore.commit},
 * one transaction per event-loop turn (group commit), and the relay acks only
 * after it returns.
 *
 * Retention: when a snapshot is stored, the ops it covers that fall outside
 * the resume window (the newest `retention.ops` per session, and those
 * younger than `retention.days`) are deleted in the same transaction. The
 * file uses `auto_vacuum=INCREMENTAL`, and the background thread (see
 * checkpointer.ts) gives the freed pages back to the file system.
 *
 * Durability of an ack: with `synchronous=NORMAL` the commit is in the WAL in
 * the OS page cache — it survives the relay process dying at any instant, not
 * a power loss. With `synchronous=FULL` the WAL is fsynced per commit and it
 * survives a power loss too.
 */
import Database from 'better-sqlite3';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { makeFolder } from '../make-folder.ts';
import type { SyncMode } from '../config.ts';
import { startCheckpointer, type Checkpointer } from './checkpointer.ts';

/** WAL pages before the main connection checkpoints by itself (the worker normally does it long before). */
const BACKSTOP_PAGES = 20_000;

/** The file name of the database inside the data dir. */
export const DATABASE_FILE = 'outboard.sqlite';

/**
 * Opens `path` holding SQLite's exclusive lock until it is closed. In WAL mode
 * every open connection holds a shared lock on the file, so this throws
 * SQLITE_BUSY at once while any other connection has it open: another
 * process's, or another relay's in this one. The lock is the kernel's and
 * goes with its process however it ended, so a crashed relay never blocks.
 */
export function openExclusive(path: string): Database.Database {
  const db = new Database(path, { fileMustExist: true });
  try {
    db.pragma('busy_timeout = 0');
    db.pragma('locking_mode = EXCLUSIVE');
    db.exec('BEGIN EXCLUSIVE; COMMIT');
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/** Whether better-sqlite3 threw because another connection holds the lock. */
export const isBusy = (error: unknown): boolean => (error as { code?: string }).code?.startsWith('SQLITE_BUSY') === true;

/** How much of the log to keep behind each session's head (see the module comment). */
export interface Retention {
  /** Newest logged ops kept per session. */
  readonly ops: number;
  /** Ops younger than this many days are kept too; 0: no age bound. */
  readonly days: number;
}

/** Keep everything (a store opened for maintenance, not for serving). */
export const KEEP_ALL: Retention = { ops: Number.MAX_SAFE_INTEGER, days: 0 };

/** One stored session as the operator sees it. */
export interface SessionSummary {
  readonly id: string;
  readonly name: string;
  readonly seq: number;
  /** Bytes of its snapshot and its logged ops. */
  readonly size: number;
  /** ms since the epoch of its last stored change. */
  readonly updatedAt: number;
  /** `sub` of the token that created it (undefined for sessions from before this was recorded). */
  readonly createdBy: string | undefined;
}

/** A stored session: its snapshot (JSON text) and where the log continues. */
export interface StoredSession {
  readonly document: string;
  readonly snapshotSeq: number;
  readonly seq: number;
}

/** One logged op: the stamped op as JSON and who made it. */
export interface LoggedOp {
  readonly seq: number;
  readonly op: string;
  readonly user: string;
}

/** The writes of one session in one group commit. */
export interface SessionWrite {
  readonly sessionId: string;
  /** Set when the session is new: inserted before its ops, with the user who created it. */
  readonly created?: { readonly document: string; readonly seq: number; readonly by?: string };
  readonly ops: readonly LoggedOp[];
  /** The new head seq. */
  readonly seq: number;
  /** A fresh snapshot to store, when it is time for one. */
  readonly snapshot?: { readonly document: string; readonly seq: number };
}

interface SummaryRow {
  id: string;
  name: string | null;
  seq: number;
  updated_at: number;
  created_by: string | null;
  size: number;
}

/** The tables of the relay's database (a cluster's backup writes the same, server/store/redis-backup.ts). */
export const SCHEMA = `
CREATE TABLE IF NOT EXISTS sessions (
  id TEXT PRIMARY KEY,
  document TEXT NOT NULL,
  snapshot_seq INTEGER NOT NULL,
  seq INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  created_by TEXT
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS ops (
  session_id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  op TEXT NOT NULL,
  user_id TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (session_id, seq)
) WITHOUT ROWID;
`;

/** Columns a database must have to be this relay's (checked before a restore replaces anything). */
export const REQUIRED_COLUMNS: Readonly<Record<string, readonly string[]>> = {
  sessions: ['id', 'document', 'snapshot_seq', 'seq', 'created_at', 'updated_at'],
  ops: ['session_id', 'seq', 'op', 'user_id', 'created_at'],
};

/** Column names of `table` in `db` (empty when the table is missing). */
export function columnsOf(db: Database.Database, table: string): string[] {
  return (db.pragma(`table_info(${table})`) as { name: string }[]).map((c) => c.name);
}

/** The SQLite store. All calls are synchronous (better-sqlite3); they throw on I/O failure. */
export class SqliteStore {
  private readonly db: Database.Database;
  private readonly selectSession: Database.Statement<[string], { document: string; snapshot_seq: number; seq: number }>;
  private readonly selectOps: Database.Statement<[string, number, number], { seq: number; op: string; user_id: string }>;
  private readonly selectOpIds: Database.Statement<[string, number], { seq: number; id: string }>;
  private readonly insertSession: Database.Statement<[string, string, number, number, number, number, string | null]>;
  private readonly pruneOps: Database.Statement<[string, number, number]>;
  private readonly listAll: Database.Statement<[], SummaryRow>;
  private readonly listBy: Database.Statement<[string], SummaryRow>;
  private readonly removeAll: (sessionId: string) => boolean;
  private readonly selectCreator: Database.Statement<[string], { created_by: string | null }>;
  private readonly path: string;
  private readonly insertOp: Database.Statement<[string, number, string, string, number]>;
  private readonly updateSeq: Database.Statement<[number, number, string]>;
  private readonly updateSnapshot: Database.Statement<[string, number, number, number, string]>;
  private readonly countSessions: Database.Statement<[], { n: number }>;
  private readonly writeAll: (writes: readonly SessionWrite[]) => void;
  private readonly checkpointer: Checkpointer;

  /** Opens (creating) `<dataDir>/outboard.sqlite`. */
  constructor(dataDir: string, sync: SyncMode, private readonly retention: Retention = KEEP_ALL) {
    makeFolder(dataDir);
    const path = join(dataDir, DATABASE_FILE);
    // Two relays on one file would each number a session's ops from their own memory: the same seqs, two histories.
    if (existsSync(path)) {
      try {
        openExclusive(path).close();
      } catch (error) {
        if (isBusy(error)) throw new Error(`${path} is open in another process: another relay (or a restore) is using the data dir ${dataDir}; stop it, or give this relay its own OUTBOARD_DATA_DIR`);
        throw error;
      }
    }
    this.path = path;
    this.db = new Database(path);
    // Only takes effect on a new file (before its first table); an older file keeps reusing its free pages.
    this.db.pragma('auto_vacuum = INCREMENTAL');
    this.db.pragma('journal_mode = WAL');
    this.db.pragma(`synchronous = ${sync === 'full' ? 'FULL' : 'NORMAL'}`);
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(SCHEMA);
    if (!columnsOf(this.db, 'sessions').includes('created_by')) this.db.exec('ALTER TABLE sessions ADD COLUMN created_by TEXT');
    // At NORMAL a commit never fsyncs, so a checkpoint's fsyncs are the event loop's longest stall: move them
    // to a worker. At FULL every commit fsyncs anyway, and a second thread's fsyncs only contend with them
    // (measured: worse tails), so the main connection keeps SQLite's own auto-checkpoint; the worker then
    // only vacuums.
    if (sync === 'normal') this.db.pragma(`wal_autocheckpoint = ${BACKSTOP_PAGES}`);
    this.checkpointer = startCheckpointer(path, 1000, { checkpoint: sync === 'normal' });
    this.selectSession = this.db.prepare('SELECT document, snapshot_seq, seq FROM sessions WHERE id = ?');
    this.selectOps = this.db.prepare('SELECT seq, op, user_id FROM ops WHERE session_id = ? AND seq > ? AND seq <= ? ORDER BY seq');
    this.selectOpIds = this.db.prepare("SELECT seq, json_extract(op, '$.id') AS id FROM ops WHERE session_id = ? AND seq > ? ORDER BY seq");
    this.insertSession = this.db.prepare('INSERT INTO sessions (id, document, snapshot_seq, seq, created_at, updated_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?)');
    this.pruneOps = this.db.prepare('DELETE FROM ops WHERE session_id = ? AND seq <= ? AND created_at < ?');
    const summary = `SELECT id, json_extract(document, '$.name') AS name, seq, updated_at, created_by,
      length(CAST(document AS BLOB)) + coalesce((SELECT sum(length(CAST(op AS BLOB))) FROM ops WHERE session_id = sessions.id), 0) AS size
      FROM sessions`;
    this.listAll = this.db.prepare(`${summary} ORDER BY updated_at DESC`);
    this.listBy = this.db.prepare(`${summary} WHERE created_by = ? ORDER BY updated_at DESC`);
    this.selectCreator = this.db.prepare('SELECT created_by FROM sessions WHERE id = ?');
    const deleteOps = this.db.prepare('DELETE FROM ops WHERE session_id = ?');
    const deleteSession = this.db.prepare('DELETE FROM sessions WHERE id = ?');
    this.removeAll = this.db.transaction((sessionId: string) => {
      deleteOps.run(sessionId);
      return deleteSession.run(sessionId).changes > 0;
    });
    this.insertOp = this.db.prepare('INSERT INTO ops (session_id, seq, op, user_id, created_at) VALUES (?, ?, ?, ?, ?)');
    this.updateSeq = this.db.prepare('UPDATE sessions SET seq = ?, updated_at = ? WHERE id = ?');
    this.updateSnapshot = this.db.prepare('UPDATE sessions SET document = ?, snapshot_seq = ?, seq = ?, updated_at = ? WHERE id = ?');
    this.countSessions = this.db.prepare('SELECT count(*) AS n FROM sessions');
    this.writeAll = this.db.transaction((writes: readonly SessionWrite[]) => {
      const now = Date.now();
      for (const w of writes) {
        if (w.created) this.insertSession.run(w.sessionId, w.created.document, w.created.seq, w.created.seq, now, now, w.created.by ?? null);
        for (const op of w.ops) this.insertOp.run(w.sessionId, op.seq, op.op, op.user, now);
        if (w.snapshot) {
          this.updateSnapshot.run(w.snapshot.document, w.snapshot.seq, w.seq, now, w.sessionId);
          this.prune(w.sessionId, w.snapshot.seq, w.seq, now);
        } else this.updateSeq.run(w.seq, now, w.sessionId);
      }
    });
  }

  /** Deletes the logged ops a new snapshot at `snapshotSeq` covers that are outside the resume window. */
  private prune(sessionId: string, snapshotSeq: number, head: number, now: number): void {
    const through = Math.min(snapshotSeq, head - this.retention.ops);
    if (through <= 0) return;
    const before = this.retention.days > 0 ? now - this.retention.days * 86_400_000 : Number.MAX_SAFE_INTEGER;
    this.pruneOps.run(sessionId, through, before);
  }

  /** Stored sessions, newest change first; only those `createdBy` created when given. */
  list(createdBy?: string): SessionSummary[] {
    const rows = createdBy === undefined ? this.listAll.all() : this.listBy.all(createdBy);
    return rows.map((r) => ({ id: r.id, name: r.name ?? '', seq: r.seq, size: r.size, updatedAt: r.updated_at, createdBy: r.created_by ?? undefined }));
  }

  /** Who created a stored session: undefined when it does not exist, null when not recorded. */
  creatorOf(sessionId: string): string | null | undefined {
    const row = this.selectCreator.get(sessionId);
    return row === undefined ? undefined : row.created_by;
  }

  /** Removes a session's snapshot and log in one transaction; false when it did not exist. */
  remove(sessionId: string): boolean {
    return this.removeAll(sessionId);
  }

  /** Bytes of the database file and of its write-ahead log (0 when there is none). */
  fileSizes(): { database: number; wal: number } {
    const size = (p: string) => {
      try {
        return statSync(p).size;
      } catch {
        return 0;
      }
    };
    return { database: size(this.path), wal: size(`${this.path}-wal`) };
  }

  /** A stored session, or undefined. */
  load(sessionId: string): StoredSession | undefined {
    const row = this.selectSession.get(sessionId);
    return row && { document: row.document, snapshotSeq: row.snapshot_seq, seq: row.seq };
  }

  /** The logged ops with `since < seq <= until`, in order. */
  opsAfter(sessionId: string, since: number, until = Number.MAX_SAFE_INTEGER): LoggedOp[] {
    return this.selectOps.all(sessionId, since, until).map((r) => ({ seq: r.seq, op: r.op, user: r.user_id }));
  }

  /** The ids of the logged ops with `seq > since`, in order (a session's dedup window, read when it loads). */
  opIdsAfter(sessionId: string, since: number): { seq: number; id: string }[] {
    return this.selectOpIds.all(sessionId, since);
  }

  /** Writes one group commit in one transaction; throws (and writes nothing) on failure. */
  commit(writes: readonly SessionWrite[]): void {
    if (writes.length > 0) this.writeAll(writes);
  }

  /** Number of stored sessions. */
  sessionCount(): number {
    return this.countSessions.get()?.n ?? 0;
  }

  /** Throws when the database cannot be read (for /health). */
  ping(): void {
    this.db.prepare('SELECT 1').get();
  }

  /** Whether the database is open. */
  get open(): boolean {
    return this.db.open;
  }

  /** Stops the background checkpointer, checkpoints the WAL and closes the file. */
  async close(): Promise<void> {
    await this.checkpointer.stop();
    if (!this.db.open) return;
    try {
      this.db.pragma('wal_checkpoint(TRUNCATE)');
    } finally {
      this.db.close();
    }
  }
}
