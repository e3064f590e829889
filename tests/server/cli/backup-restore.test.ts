/**
 * `outboard backup` and `outboard restore` as an operator runs them, against
 * real relay processes and their SQLite files: a backup taken while a writer
 * streams ops holds every op acked before it began; restore refuses a live
 * relay and unsound files, changing nothing.
 */
import { cliBin } from '../../../server/package-info.ts';
import Database from 'better-sqlite3';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join as pathJoin } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { badBackups } from '../bad-backups.ts';
import { cleanup, param, recordAcks, seedSession, spawnRelay, stored, tempDir, token } from '../helpers.ts';

const exec = promisify(execFile);
const dirs: string[] = [];
afterAll(() => dirs.forEach(cleanup));

function dir(): string {
  const d = tempDir();
  dirs.push(d);
  return d;
}

/** Runs the CLI on `dataDir`; resolves with its exit code and output (never rejects on a non-zero exit). */
async function outboard(args: string[], dataDir: string): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await exec(process.execPath, [cliBin(), ...args], { env: { ...process.env, OUTBOARD_DATA_DIR: dataDir } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** seq of every logged op id in a database file. */
function logged(file: string, session: string): Map<string, number> {
  const db = new Database(file, { readonly: true });
  try {
    const rows = db.prepare('SELECT seq, op FROM ops WHERE session_id = ?').all(session) as { seq: number; op: string }[];
    return new Map(rows.map((r) => [(JSON.parse(r.op) as { id: string }).id, r.seq]));
  } finally {
    db.close();
  }
}

const digest = (folder: string) => Object.fromEntries(readdirSync(folder).sort().map((f) => [f, createHash('sha256').update(readFileSync(pathJoin(folder, f))).digest('hex')]));

describe('outboard backup', () => {
  it('to a folder: refused before copying, naming it and what to give instead; nothing is left in the folder above it', async () => {
    const source = dir();
    const relay = await spawnRelay(source);
    try {
      (await seedSession(relay.ws, 'keep')).close();
      const parent = dir();
      const folder = pathJoin(parent, 'backups');
      mkdirSync(folder);
      const run = await outboard(['backup', folder], source);
      expect(run).toMatchObject({ code: 1, stdout: '', stderr: `outboard backup: ${folder} is a folder: give the backup a file name, e.g. ${pathJoin(folder, 'outboard.sqlite')} (IO_ERROR)\n` });
      expect(readdirSync(parent)).toEqual(['backups']);
      expect(readdirSync(folder)).toEqual([]);
    } finally {
      relay.child.kill('SIGTERM');
      await relay.exited;
    }
  }, 30_000);

  it('taken while a writer streams ops, restores to a relay holding every op acked before it began, at the same seq', async () => {
    const live = dir();
    // The log's retention window is set past anything this writer reaches: on a busy machine the backup process
    // starts seconds after it is spawned, and at this rate the default window (10,000 ops) would by then have let
    // the relay prune the first acked ops from the log (the snapshot holds them; tests/server/retention.test.ts covers that).
    const env = { OUTBOARD_MAX_MESSAGES_PER_SECOND: '1000000', OUTBOARD_SNAPSHOT_EVERY: '64', OUTBOARD_LOG_RETAIN_OPS: '100000000' };
    const relay = await spawnRelay(live, 0, env);
    const backupFile = pathJoin(dir(), 'nightly.sqlite');
    let ackedBefore: Map<string, number>;
    try {
      const owner = await seedSession(relay.ws, 'band');
      const acked = recordAcks(owner);
      let n = 0;
      const pump = setInterval(() => {
        for (let i = 0; i < 20; i++, n++) owner.send(param(`b_${n}`, 'band', 20 + (n % 19_000)));
      }, 2);
      try {
        while (acked.size < 500) await new Promise((r) => setTimeout(r, 5));
        ackedBefore = new Map(acked);
        const backup = await outboard(['backup', backupFile], live);
        expect(backup, backup.stderr).toMatchObject({ code: 0 });
        expect(backup.stdout).toMatch(/^backed up 1 sessions, \d+ logged ops/);
        // The writer was still being acked while the backup ran.
        const during = acked.size;
        while (acked.size < during + 100) await new Promise((r) => setTimeout(r, 5));
      } finally {
        clearInterval(pump);
      }
      owner.close();
    } finally {
      relay.child.kill('SIGTERM');
      await relay.exited;
    }

    const restored = dir();
    const restore = await outboard(['restore', backupFile], restored);
    expect(restore, restore.stderr).toMatchObject({ code: 0 });
    const log = logged(pathJoin(restored, 'outboard.sqlite'), 'band');
    const missing = [...ackedBefore!].filter(([id, seq]) => log.get(id) !== seq);
    expect(missing).toEqual([]);

    const second = await spawnRelay(restored, 0, env);
    try {
      const { seq, document } = await stored(second.url, 'band');
      expect(seq).toBe(Math.max(...log.values()));
      expect(seq).toBeGreaterThanOrEqual(Math.max(...ackedBefore!.values()));
      const lastId = [...log].find(([, s]) => s === seq)![0];
      expect((document as { tracks: { chain: { params: { cutoff: number } }[] }[] }).tracks[0]?.chain[0]?.params.cutoff).toBe(20 + (Number(lastId.slice(2)) % 19_000));
    } finally {
      second.child.kill('SIGTERM');
      await second.exited;
    }
  }, 120_000);
});

describe('outboard restore', () => {
  it('refuses to run over a live relay, and refuses a corrupt, foreign or missing file; nothing changes', async () => {
    const source = dir();
    const seeded = await spawnRelay(source);
    (await seedSession(seeded.ws, 'keep')).close();
    const good = pathJoin(dir(), 'good.sqlite');
    expect((await outboard(['backup', good], source)).code).toBe(0);
    seeded.child.kill('SIGTERM');
    await seeded.exited;

    const target = dir();
    const relay = await spawnRelay(target);
    try {
      (await seedSession(relay.ws, 'current')).close();
      const refused = await outboard(['restore', good], target);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(/open in another process: stop the relay first .*RELAY_RUNNING.*nothing was changed/);
      expect((await stored(relay.url, 'current')).seq).toBe(2);
    } finally {
      relay.child.kill('SIGTERM');
      await relay.exited;
    }
    const before = digest(target);

    const { corrupt, foreign, newer, broken } = badBackups(good, dir());
    const text = pathJoin(dir(), 'notes.txt');
    writeFileSync(text, 'not a database at all, but long enough to have a header of sorts\n'.repeat(100));

    const cases: [string, RegExp][] = [
      [corrupt, /CORRUPT|NOT_A_DATABASE/],
      [foreign, /no "sessions" table.*WRONG_SCHEMA/],
      [newer, /session "keep" was saved by a newer Outboard \(outboard\.session\/2\): update Outboard here, then restore \(NEWER_VERSION\)/],
      [broken, /session "keep" ends its log at seq 1, its head is 2 \(CORRUPT\)/],
      [text, /NOT_A_DATABASE/],
      [pathJoin(target, 'missing.sqlite'), /NOT_FOUND/],
    ];
    for (const [file, reason] of cases) {
      const run = await outboard(['restore', file], target);
      expect(run.code, file).toBe(1);
      expect(run.stderr, file).toMatch(reason);
      expect(run.stderr).toMatch(/nothing was changed/);
      expect(digest(target), file).toEqual(before);
    }

    // The sound backup restores once the relay is down; the replaced database is kept aside.
    const done = await outboard(['restore', good], target);
    expect(done, done.stderr).toMatchObject({ code: 0 });
    expect(readdirSync(target).some((f) => f.startsWith('outboard.sqlite.before-restore-'))).toBe(true);
    const back = await spawnRelay(target);
    try {
      expect((await stored(back.url, 'keep')).seq).toBe(2);
      const gone = await fetch(`${back.url}/api/sessions/current`, { headers: { Authorization: `Bearer ${await token('*', 'a', 'admin')}` } });
      expect(gone.status).toBe(404);
    } finally {
      back.child.kill('SIGTERM');
      await back.exited;
    }
  }, 120_000);
});
