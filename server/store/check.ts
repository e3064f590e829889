/**
 * Whether a file is a sound relay database: SQLite's `integrity_check`
 * passes and the tables and columns the relay reads are there. Backups are
 * checked after they are written and restores before they replace anything.
 */
import Database from 'better-sqlite3';
import { existsSync, statSync } from 'node:fs';
import type { Result } from '../../src/protocol/errors.ts';
import { newerSessionFormat, parseSessionDocument } from '../../src/model/index.ts';
import { columnsOf, REQUIRED_COLUMNS } from './sqlite.ts';
import type { LogEntry } from './types.ts';

/** Why a backup or a restore did not happen (INTERRUPTED: a cluster restore failed part-way; run it again; NEWER_VERSION: a newer Outboard wrote the file). */
export const MAINTENANCE_CODES = ['NOT_FOUND', 'NOT_A_DATABASE', 'CORRUPT', 'WRONG_SCHEMA', 'RELAY_RUNNING', 'IO_ERROR', 'INTERRUPTED', 'NEWER_VERSION'] as const;

/** A refused backup or restore: a code and a message naming what was wrong. */
export interface MaintenanceError {
  readonly code: (typeof MAINTENANCE_CODES)[number];
  readonly message: string;
}

/** Builds a {@link MaintenanceError}. */
export const maintenanceError = (code: MaintenanceError['code'], message: string): MaintenanceError => ({ code, message });

/** What a sound database file holds. */
export interface DatabaseReport {
  readonly bytes: number;
  readonly sessions: number;
  readonly ops: number;
}

/**
 * Checks the database file at `path` (opened read-write, as the relay would:
 * a WAL-mode file needs its shared-memory index). Never changes its content.
 */
export function checkDatabase(path: string): Result<DatabaseReport, MaintenanceError> {
  if (!existsSync(path)) return { ok: false, error: maintenanceError('NOT_FOUND', `${path} does not exist`) };
  let db: Database.Database;
  try {
    db = new Database(path, { fileMustExist: true });
  } catch (error) {
    return { ok: false, error: maintenanceError('NOT_A_DATABASE', `${path} cannot be opened: ${(error as Error).message}`) };
  }
  try {
    let problems: string[];
    try {
      problems = (db.pragma('integrity_check') as { integrity_check: string }[]).map((r) => r.integrity_check);
    } catch (error) {
      const code = (error as { code?: string }).code;
      return { ok: false, error: maintenanceError(code === 'SQLITE_NOTADB' ? 'NOT_A_DATABASE' : 'CORRUPT', `${path}: ${(error as Error).message}`) };
    }
    if (problems.length !== 1 || problems[0] !== 'ok') {
      return { ok: false, error: maintenanceError('CORRUPT', `${path} failed SQLite's integrity check: ${problems.slice(0, 3).join('; ')}`) };
    }
    for (const [table, needed] of Object.entries(REQUIRED_COLUMNS)) {
      const have = columnsOf(db, table);
      const missing = needed.filter((c) => !have.includes(c));
      if (have.length === 0) return { ok: false, error: maintenanceError('WRONG_SCHEMA', `${path} has no "${table}" table: not an Outboard relay database`) };
      if (missing.length > 0) return { ok: false, error: maintenanceError('WRONG_SCHEMA', `${path}: table "${table}" lacks ${missing.join(', ')}`) };
    }
    const count = (table: string) => (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
    return { ok: true, value: { bytes: statSync(path).size, sessions: count('sessions'), ops: count('ops') } };
  } finally {
    db.close();
  }
}

/** A session as a backup file holds it. */
export interface SessionRow {
  readonly id: string;
  readonly document: string;
  readonly snapshotSeq: number;
  readonly seq: number;
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly createdBy: string | null;
  readonly ops: readonly LogEntry[];
}

/** Reads every session of a checked backup file and proves each loadable; the first problem is named. */
export function readSessions(source: string): Result<SessionRow[], MaintenanceError> {
  const db = new Database(source, { readonly: true, fileMustExist: true });
  try {
    // A file from before sessions had a creator has no such column; the relay adds it empty.
    const createdBy = columnsOf(db, 'sessions').includes('created_by') ? 'created_by' : 'NULL AS created_by';
    const sessions = db.prepare(`SELECT id, document, snapshot_seq, seq, created_at, updated_at, ${createdBy} FROM sessions ORDER BY id`).all() as
      { id: string; document: string; snapshot_seq: number; seq: number; created_at: number; updated_at: number; created_by: string | null }[];
    const opsOf = db.prepare('SELECT seq, op, user_id FROM ops WHERE session_id = ? ORDER BY seq');
    const rows: SessionRow[] = [];
    for (const s of sessions) {
      const bad = (why: string) => ({ ok: false as const, error: maintenanceError('CORRUPT', `${source}: session "${s.id}" ${why}`) });
      const newer = newerSessionFormat(s.document);
      if (newer) {
        return { ok: false as const, error: maintenanceError('NEWER_VERSION', `${source}: session "${s.id}" was saved by a newer Outboard (${newer}): update Outboard here, then restore`) };
      }
      let parsed;
      try {
        parsed = parseSessionDocument(JSON.parse(s.document));
      } catch (error) {
        return bad(`has a snapshot that is not JSON: ${(error as Error).message}`);
      }
      if (!parsed.ok) return bad(`has an unreadable snapshot: ${parsed.error.message}`);
      const ops = (opsOf.all(s.id) as { seq: number; op: string; user_id: string }[]).map((r) => ({ seq: r.seq, op: r.op, user: r.user_id }));
      let at = s.snapshot_seq;
      for (const op of ops) {
        try {
          JSON.parse(op.op);
        } catch {
          return bad(`has an op at seq ${op.seq} that is not JSON`);
        }
        if (op.seq <= s.snapshot_seq) continue;
        if (op.seq !== at + 1) return bad(`skips from seq ${at} to ${op.seq} after its snapshot`);
        at = op.seq;
      }
      if (at !== s.seq) return bad(`ends its log at seq ${at}, its head is ${s.seq}`);
      rows.push({ id: s.id, document: s.document, snapshotSeq: s.snapshot_seq, seq: s.seq, createdAt: s.created_at, updatedAt: s.updated_at, createdBy: s.created_by, ops });
    }
    return { ok: true, value: rows };
  } finally {
    db.close();
  }
}
