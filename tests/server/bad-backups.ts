/** Files that `outboard restore` must refuse, made from a good backup: the same cases for a single node and a cluster. */
import Database from 'better-sqlite3';
import { closeSync, copyFileSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/**
 * In `dir`: `corrupt` — a copy of `good` with its pages after the first overwritten (the header still says
 * SQLite, the tables are garbage); `foreign` — a SQLite file of someone else's tables; `newer` — a copy of
 * `good` whose snapshots a newer Outboard wrote (`outboard.session/2`); `broken` — a copy whose first
 * session's newest logged op is gone (its log ends before its head).
 */
export function badBackups(good: string, dir: string): { corrupt: string; foreign: string; newer: string; broken: string } {
  const corrupt = join(dir, 'corrupt.sqlite');
  copyFileSync(good, corrupt);
  const fd = openSync(corrupt, 'r+');
  writeSync(fd, Buffer.alloc(8192, 0xa5), 0, 8192, 4096);
  closeSync(fd);
  const foreign = join(dir, 'foreign.sqlite');
  const other = new Database(foreign);
  other.exec('CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)');
  other.close();
  const newer = join(dir, 'newer.sqlite');
  copyFileSync(good, newer);
  const fromFuture = new Database(newer);
  fromFuture.exec(`UPDATE sessions SET document = replace(document, '"outboard.session/1"', '"outboard.session/2"')`);
  fromFuture.close();
  const broken = join(dir, 'broken.sqlite');
  copyFileSync(good, broken);
  const gap = new Database(broken);
  gap.exec('DELETE FROM ops WHERE (session_id, seq) = (SELECT session_id, seq FROM ops ORDER BY session_id, seq DESC LIMIT 1)');
  gap.close();
  return { corrupt, foreign, newer, broken };
}
