/**
 * The embedded store: one SQLite file in WAL mode. `sessions` holds each
 * document as of `snapshot_seq` plus the head `seq`; `ops` is the log, one
 * row per acked op, so a document is its snapshot plus the ops after it and a
 * client resumes from any `since`. Every write goes through {@link SqliteStore.commit},
 * one transaction per event-loop turn (group commit), and the relay acks only
 * after it returns.
 *
 * Durability of an ack: with `synchronous=NORMAL` the commit is in the WAL in
 * the OS page cache — it survives the relay process dying at any instant, not
 * a power loss. With `synchronous=FULL` the WAL is fsynced per commit and it
 * survives a power loss too.
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { SyncMode } from '../config.ts';
import { startCheckpointer, type Checkpointer } from './checkpointer.ts';

/** WAL pages before the main connection checkpoints by itself (the worker normally does it long before). */
const BACKSTOP_PAGES = 20_000;

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
  /** Set when the session is new: inserted before its ops. */
  readonly created?: { readonly document: string; readonly seq: number };
  readonly ops: readonly LoggedOp[];
  /** The new head seq. */
  readonly seq: number;
  /** A fresh snapshot to store, when it is time for one. */
  readonly snapshot?: { readonly document: string; readonly seq: number };
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS sessions (
  id TEXT PRIMARY KEY,
  document TEXT NOT NULL,
  snapshot_seq INTEGER NOT NULL,
  seq INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
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

/** The SQLite store. All calls are synchronous (better-sqlite3); they throw on I/O failure. */
export class SqliteStore {
  private readonly db: Database.Database;
  private readonly selectSession: Database.Statement<[string], { document: string; snapshot_seq: number; seq: number }>;
  private readonly selectOps: Database.Statement<[string, number, number], { seq: number; op: string; user_id: string }>;
  private readonly insertSession: Database.Statement<[string, string, number, number, number, number]>;
  private readonly insertOp: Database.Statement<[string, number, string, string, number]>;
  private readonly updateSeq: Database.Statement<[number, number, string]>;
  private readonly updateSnapshot: Database.Statement<[string, number, number, number, string]>;
  private readonly countSessions: Database.Statement<[], { n: number }>;
  private readonly writeAll: (writes: readonly SessionWrite[]) => void;
  private readonly checkpointer: Checkpointer | undefined;

  /** Opens (creating) `<dataDir>/outboard.sqlite`. */
  constructor(dataDir: string, sync: SyncMode) {
    mkdirSync(dataDir, { recursive: true });
    const path = join(dataDir, 'outboard.sqlite');
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma(`synchronous = ${sync === 'full' ? 'FULL' : 'NORMAL'}`);
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(SCHEMA);
    // At NORMAL a commit never fsyncs, so a checkpoint's fsyncs are the event loop's longest stall: move them
    // to a worker. At FULL every commit fsyncs anyway, and a second thread's fsyncs only contend with them
    // (measured: worse tails), so the main connection keeps SQLite's own auto-checkpoint.
    if (sync === 'normal') {
      this.db.pragma(`wal_autocheckpoint = ${BACKSTOP_PAGES}`);
      this.checkpointer = startCheckpointer(path, 1000);
    }
    this.selectSession = this.db.prepare('SELECT document, snapshot_seq, seq FROM sessions WHERE id = ?');
    this.selectOps = this.db.prepare('SELECT seq, op, user_id FROM ops WHERE session_id = ? AND seq > ? AND seq <= ? ORDER BY seq');
    this.insertSession = this.db.prepare('INSERT INTO sessions (id, document, snapshot_seq, seq, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)');
    this.insertOp = this.db.prepare('INSERT INTO ops (session_id, seq, op, user_id, created_at) VALUES (?, ?, ?, ?, ?)');
    this.updateSeq = this.db.prepare('UPDATE sessions SET seq = ?, updated_at = ? WHERE id = ?');
    this.updateSnapshot = this.db.prepare('UPDATE sessions SET document = ?, snapshot_seq = ?, seq = ?, updated_at = ? WHERE id = ?');
    this.countSessions = this.db.prepare('SELECT count(*) AS n FROM sessions');
    this.writeAll = this.db.transaction((writes: readonly SessionWrite[]) => {
      const now = Date.now();
      for (const w of writes) {
        if (w.created) this.insertSession.run(w.sessionId, w.created.document, w.created.seq, w.created.seq, now, now);
        for (const op of w.ops) this.insertOp.run(w.sessionId, op.seq, op.op, op.user, now);
        if (w.snapshot) this.updateSnapshot.run(w.snapshot.document, w.snapshot.seq, w.seq, now, w.sessionId);
        else this.updateSeq.run(w.seq, now, w.sessionId);
      }
    });
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
    await this.checkpointer?.stop();
    if (!this.db.open) return;
    try {
      this.db.pragma('wal_checkpoint(TRUNCATE)');
    } finally {
      this.db.close();
    }
  }
}
