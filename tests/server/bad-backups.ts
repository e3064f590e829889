/** Files that `outboard restore` must refuse, made from a good backup: the same cases for a single node and a cluster. */
import Database from 'better-sqlite3';
import { closeSync, copyFileSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/**
 * In `dir`: `corrupt` — a copy of `good` with its pages after the first overwritten (the header still says
 * SQLite, the tables are garbage); `foreign` — a SQLite file of someone else's tables.
 */
export function badBackups(good: string, dir: string): { corrupt: string; foreign: string } {
  const corrupt = join(dir, 'corrupt.sqlite');
  copyFileSync(good, corrupt);
  const fd = openSync(corrupt, 'r+');
  writeSync(fd, Buffer.alloc(8192, 0xa5), 0, 8192, 4096);
  closeSync(fd);
  const foreign = join(dir, 'foreign.sqlite');
  const other = new Database(foreign);
  other.exec('CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)');
  other.close();
  return { corrupt, foreign };
}
