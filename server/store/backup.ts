/**
 * `outboard backup`: a consistent copy of the live database, taken with
 * SQLite's online backup API from a connection of its own while the relay
 * keeps writing.
 *
 * Consistency: the backup's first step opens a read transaction on the WAL
 * database; every commit before it — so every op acked before the backup
 * began, since the relay acks only after its commit returns — is in the copy.
 * A step that sees the source changed by another connection starts over, so
 * after the first step the rest is copied in one step: one read snapshot,
 * never restarted by a busy relay. Readers never block the relay's writer.
 *
 * The copy goes to a temp file beside the target and is renamed over it once
 * complete and checked, so a failed or interrupted run leaves the previous
 * backup in place.
 */
import Database from 'better-sqlite3';
import { existsSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Result } from '../../src/protocol/errors.ts';
import { checkDatabase, maintenanceError, type MaintenanceError } from './check.ts';
import { DATABASE_FILE } from './sqlite.ts';

/** What a backup copied. */
export interface BackupReport {
  readonly bytes: number;
  readonly sessions: number;
  readonly ops: number;
}

/** Copies `<dataDir>/outboard.sqlite` to `target` online; the relay may be running. */
export async function backupDatabase(dataDir: string, target: string): Promise<Result<BackupReport, MaintenanceError>> {
  const source = join(dataDir, DATABASE_FILE);
  if (!existsSync(source)) return { ok: false, error: maintenanceError('NOT_FOUND', `no database at ${source}`) };
  const unwritable = targetProblem(target);
  if (unwritable) return { ok: false, error: unwritable };
  const tmp = partialPath(target);
  const db = new Database(source, { fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    await db.backup(tmp, { progress: () => 0x7fffffff });
  } catch (error) {
    rmSync(tmp, { force: true });
    return { ok: false, error: maintenanceError('IO_ERROR', `backup failed: ${(error as Error).message}`) };
  } finally {
    db.close();
  }
  return finishBackup(tmp, target);
}

/** Why a backup cannot end up at `target`, before anything is copied: its folder is missing, or a folder has its name. */
export function targetProblem(target: string): MaintenanceError | undefined {
  if (!existsSync(dirname(target))) return maintenanceError('NOT_FOUND', `the folder ${dirname(target)} does not exist`);
  if (statSync(target, { throwIfNoEntry: false })?.isDirectory()) return maintenanceError('IO_ERROR', `${target} is a folder: give the backup a file name, e.g. ${join(target, 'outboard.sqlite')}`);
  return undefined;
}

/** The temp file a backup to `target` is written to, beside it (renamed over it by {@link finishBackup}). */
export function partialPath(target: string): string {
  return join(dirname(target), `.${basename(target)}.${process.pid}.partial`);
}

/** Checks the written copy at `tmp` and renames it over `target`; a copy that does not check sound is removed. */
export function finishBackup(tmp: string, target: string): Result<BackupReport, MaintenanceError> {
  const checked = checkDatabase(tmp);
  if (!checked.ok) {
    rmSync(tmp, { force: true });
    return checked;
  }
  try {
    renameSync(tmp, target);
  } catch (error) {
    rmSync(tmp, { force: true });
    return { ok: false, error: maintenanceError('IO_ERROR', `the backup cannot be put at ${target}: ${(error as Error).message}`) };
  }
  return checked;
}
