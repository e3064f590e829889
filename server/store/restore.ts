/**
 * `outboard restore`: replaces the relay's database with a backup, only when
 * no relay has the database open and only once the backup checked sound.
 *
 * How "no relay is running" is known: a relay holds its database open for as
 * long as it runs, and SQLite holds a shared file lock for that connection.
 * Restore opens the database in exclusive locking mode and asks for its
 * exclusive lock without waiting; SQLite answers SQLITE_BUSY while any other
 * process — a relay, or its checkpointer thread — has it open. The lock is
 * the kernel's: it goes away when the process does, however it ends, so a
 * crashed relay never blocks a restore (unlike a pid file), and a relay on
 * another port or in a container sharing the data dir is still seen (unlike
 * probing a port). Restore keeps that lock until the new file is in place.
 *
 * Order, so a refusal changes nothing: lock the live database -> copy the
 * backup beside it -> check the copy (integrity_check, schema) -> switch the
 * live database out of WAL mode (its log is folded in) -> rename it aside as
 * `outboard.sqlite.before-restore-<time>` -> rename the copy into place.
 */
import Database from 'better-sqlite3';
import { copyFileSync, existsSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Result } from '../../src/protocol/errors.ts';
import { checkDatabase, maintenanceError, readSessions, type DatabaseReport, type MaintenanceError } from './check.ts';
import { DATABASE_FILE, isBusy, openExclusive } from './sqlite.ts';

/** What a restore did. */
export interface RestoreReport extends DatabaseReport {
  /** Where the replaced database was kept (undefined when there was none). */
  readonly previous: string | undefined;
}

/** Opens the live database with its exclusive lock; a RELAY_RUNNING error when another process has it open. */
function lockLive(path: string): Result<Database.Database | undefined, MaintenanceError> {
  if (!existsSync(path)) return { ok: true, value: undefined };
  try {
    return { ok: true, value: openExclusive(path) };
  } catch (error) {
    if (isBusy(error)) {
      return { ok: false, error: maintenanceError('RELAY_RUNNING', `${path} is open in another process: stop the relay first (restore never replaces a live database)`) };
    }
    return { ok: false, error: maintenanceError('IO_ERROR', `${path} cannot be locked: ${(error as Error).message}`) };
  }
}

/** Replaces `<dataDir>/outboard.sqlite` with the backup at `source`; refuses over a live relay or a bad file. */
export function restoreDatabase(dataDir: string, source: string, now = new Date()): Result<RestoreReport, MaintenanceError> {
  if (!existsSync(source)) return { ok: false, error: maintenanceError('NOT_FOUND', `${source} does not exist`) };
  if (!existsSync(dataDir)) return { ok: false, error: maintenanceError('NOT_FOUND', `the data dir ${dataDir} does not exist`) };
  const live = join(dataDir, DATABASE_FILE);
  const locked = lockLive(live);
  if (!locked.ok) return locked;
  const lock = locked.value;
  const incoming = join(dataDir, `.${DATABASE_FILE}.${process.pid}.restoring`);
  try {
    try {
      copyFileSync(source, incoming);
    } catch (error) {
      return { ok: false, error: maintenanceError('IO_ERROR', `${source} cannot be copied: ${(error as Error).message}`) };
    }
    const checked = checkDatabase(incoming);
    if (!checked.ok) return { ok: false, error: { ...checked.error, message: checked.error.message.replace(incoming, source) } };
    // The relay would take the file and then fail on each session it cannot load: a newer format, a broken log.
    const readable = readSessions(incoming);
    if (!readable.ok) return { ok: false, error: { ...readable.error, message: readable.error.message.replace(incoming, source) } };
    let previous: string | undefined;
    if (lock) {
      // Folds the WAL into the old file and removes it, so nothing of the old log can be read against the new file.
      lock.pragma('journal_mode = DELETE');
      previous = `${live}.before-restore-${now.toISOString().replace(/[:.]/g, '-')}`;
      renameSync(live, previous);
    }
    for (const leftover of [`${live}-wal`, `${live}-shm`]) rmSync(leftover, { force: true });
    renameSync(incoming, live);
    return { ok: true, value: { ...checked.value, previous } };
  } finally {
    lock?.close();
    for (const file of [incoming, `${incoming}-wal`, `${incoming}-shm`]) rmSync(file, { force: true });
  }
}
