/**
 * Whether a file is a sound relay database: SQLite's `integrity_check`
 * passes and the tables and columns the relay reads are there. Backups are
 * checked after they are written and restores before they replace anything.
 */
import Database from 'better-sqlite3';
import { existsSync, statSync } from 'node:fs';
import type { Result } from '../../src/protocol/errors.ts';
import { columnsOf, REQUIRED_COLUMNS } from './sqlite.ts';

/** Why a backup or a restore did not happen (INTERRUPTED: a cluster restore failed part-way; run it again). */
export const MAINTENANCE_CODES = ['NOT_FOUND', 'NOT_A_DATABASE', 'CORRUPT', 'WRONG_SCHEMA', 'RELAY_RUNNING', 'IO_ERROR', 'INTERRUPTED'] as const;

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
