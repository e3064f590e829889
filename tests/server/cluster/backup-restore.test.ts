/**
 * `outboard backup` / `outboard restore` with OUTBOARD_REDIS_URL, run as an
 * operator runs them (the CLI as a child process) against real redis-servers
 * and relay node processes: a backup taken while a writer streams ops through a node
 * restores into a fresh Redis where a node serves every op acked before the
 * backup began, at the same seq; the file is the single node's format (it
 * restores to a single node too); restore refuses while a node is alive and
 * refuses a bad file, changing nothing.
 */
import Database from 'better-sqlite3';
import { execFile } from 'node:child_process';
import { copyFileSync } from 'node:fs';
import { join as pathJoin } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { badBackups } from '../bad-backups.ts';
import { cliBin } from '../../../server/package-info.ts';
import { cleanup, join, param, recordAcks, seedSession, spawnRelay, stored, tempDir, token } from '../helpers.ts';
import { HAS_REDIS, loggedOps, NO_REDIS, spawnNode, startRedis, type TestRedis } from '../redis-helpers.ts';

const exec = promisify(execFile);
const dirs: string[] = [];
const servers: TestRedis[] = [];
afterAll(async () => {
  dirs.forEach(cleanup);
  await Promise.all(servers.map((r) => r.dispose()));
});

function dir(): string {
  const d = tempDir();
  dirs.push(d);
  return d;
}

async function redisServer(): Promise<TestRedis> {
  const r = await startRedis();
  servers.push(r);
  return r;
}

/** Runs the CLI with `env`; resolves with its exit code and output (never rejects on a non-zero exit). */
async function outboard(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await exec(process.execPath, [cliBin(), ...args], { env: { ...process.env, OUTBOARD_DATA_DIR: dir(), ...env } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** Heartbeat keys the live nodes rewrite every 2 s: not what a restore may change. */
const HEARTBEAT = /^\{ob\}:(nodes|conns:|members:)/;

/** Every key of a Redis (but the nodes' heartbeats) with its content, to show a refused restore changed nothing. */
async function contents(redis: TestRedis): Promise<Record<string, unknown>> {
  const c = redis.client();
  const out: Record<string, unknown> = {};
  for (const key of (await c.keys('*')).filter((k) => !HEARTBEAT.test(k)).sort()) {
    const type = await c.type(key);
    out[key] = type === 'hash' ? await c.hgetall(key) : type === 'stream' ? await c.xrange(key, '-', '+') : type === 'zset' ? await c.zrange(key, '0', '-1', 'WITHSCORES') : await c.get(key);
  }
  return out;
}

// With this queue a node keeps 2,000 ops behind each snapshot (every 1,000 or more, as appends batch): with at most
// 2,000 ops in all no snapshot trims the stream, so every acked op can be looked up at its seq after the restore.
// (With 2,500, a loaded machine's backup began after a snapshot at seq 2,072 had trimmed seqs 1-72 into the document.)
const ENV = { OUTBOARD_MAX_MESSAGES_PER_SECOND: '1000000', OUTBOARD_SNAPSHOT_EVERY: '1000', OUTBOARD_SEND_QUEUE_MAX: '8192' };
const WRITES = 1990;

describe.skipIf(!HAS_REDIS)(`outboard backup/restore on a cluster${HAS_REDIS ? '' : ` (skipped: ${NO_REDIS})`}`, () => {
  it('taken while a writer streams ops through a node, restores into a fresh Redis where a node serves every op acked before it began, at the same seq', async () => {
    const live = await redisServer();
    const node = await spawnNode(live, ENV);
    const backupFile = pathJoin(dir(), 'nightly.sqlite');
    let ackedBefore = new Map<string, number>();
    try {
      const owner = await seedSession(node.ws, 'band', 'alice');
      const acked = recordAcks(owner);
      let n = 0;
      const pump = setInterval(() => {
        for (let i = 0; i < 5 && n < WRITES; i++, n++) owner.send(param(`b_${n}`, 'band', 20 + (n % 19_000)));
      }, 5);
      try {
        while (acked.size < 300) await new Promise((r) => setTimeout(r, 5));
        ackedBefore = new Map(acked);
        const backup = await outboard(['backup', backupFile], { OUTBOARD_REDIS_URL: live.url });
        expect(backup, backup.stderr).toMatchObject({ code: 0 });
        expect(backup.stdout).toMatch(/^backed up 1 sessions, \d+ logged ops/);
        // The writer was still being acked while the backup ran.
        const during = acked.size;
        while (acked.size < Math.min(during + 100, WRITES)) await new Promise((r) => setTimeout(r, 5));
      } finally {
        clearInterval(pump);
      }
      await owner.answer(`b_${n - 1}`);

      // Over a live node: refused, nothing changed.
      const before = await contents(live);
      const refused = await outboard(['restore', backupFile], { OUTBOARD_REDIS_URL: live.url });
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(/relay nodes are alive .*stop every node first.*RELAY_RUNNING.*nothing was changed/);
      expect(await contents(live)).toEqual(before);
      owner.close();
    } finally {
      await node.stop();
    }

    const fresh = await redisServer();
    const restore = await outboard(['restore', backupFile], { OUTBOARD_REDIS_URL: fresh.url });
    expect(restore, restore.stderr).toMatchObject({ code: 0 });
    const log = await loggedOps(fresh, 'band');
    const missing = [...ackedBefore].filter(([id, seq]) => log.get(id)?.join() !== String(seq));
    expect(missing).toEqual([]);

    const second = await spawnNode(fresh, ENV);
    try {
      const { seq, document } = await stored(second.url, 'band');
      expect(seq).toBeGreaterThanOrEqual(Math.max(...ackedBefore.values()));
      const lastId = [...log].find(([, seqs]) => seqs[0] === seq)![0];
      expect((document as { tracks: { chain: { params: { cutoff: number } }[] }[] }).tracks[0]?.chain[0]?.params.cutoff).toBe(20 + (Number(lastId.slice(2)) % 19_000));
      // A member resumes from an acked seq with exactly the ops after it; the listing keeps its creator.
      // From near the restored head: on a loaded machine the backup begins thousands of ops after the acks counted
      // above, and a resume that far back rightly gets a SNAPSHOT instead of ops (past the replay limit).
      const since = seq - 5;
      const resumed = await join(second.ws, 'band', { token: await token('band', 'ed', 'editor'), since });
      expect(resumed.frames.filter((f) => f.type === 'PLUGIN_PARAMETER').map((f) => f.seq)).toEqual(Array.from({ length: seq - since }, (_, i) => since + 1 + i));
      resumed.close();
      const listing = await fetch(`${second.url}/api/sessions`, { headers: { Authorization: `Bearer ${await token('*', 'alice', 'owner')}` } });
      expect(((await listing.json()) as { sessions: { id: string; seq: number }[] }).sessions).toMatchObject([{ id: 'band', seq }]);
      // An op id acked before the backup is still answered with its first seq, never applied again.
      const [firstId, firstSeq] = [...ackedBefore][0]!;
      const retry = await join(second.ws, 'band', { token: await token('band', 'alice', 'owner') });
      retry.send(param(firstId, 'band', 20));
      expect(await retry.answer(firstId)).toMatchObject({ type: 'ack', seq: firstSeq });
      retry.close();
    } finally {
      await second.stop();
    }

    // One format: the cluster's backup restores to a single node as well.
    const single = dir();
    expect((await outboard(['restore', backupFile], { OUTBOARD_DATA_DIR: single, OUTBOARD_REDIS_URL: '' })).code).toBe(0);
    const relay = await spawnRelay(single, 0, ENV);
    try {
      expect((await stored(relay.url, 'band')).seq).toBe(Math.max(...[...log.values()].flat()));
    } finally {
      relay.child.kill('SIGTERM');
      await relay.exited;
    }
  }, 120_000);

  it('refuses a corrupt file, a foreign one and one whose log has a gap; nothing changes', async () => {
    const redis = await redisServer();
    const node = await spawnNode(redis, ENV);
    const good = pathJoin(dir(), 'good.sqlite');
    try {
      (await seedSession(node.ws, 'keep')).close();
      expect((await outboard(['backup', good], { OUTBOARD_REDIS_URL: redis.url })).code).toBe(0);
    } finally {
      await node.stop();
    }
    const before = await contents(redis);

    const { corrupt, foreign, newer } = badBackups(good, dir());
    const gap = pathJoin(dir(), 'gap.sqlite');
    copyFileSync(good, gap);
    const edit = new Database(gap);
    edit.prepare("DELETE FROM ops WHERE session_id = 'keep' AND seq = 1").run();
    edit.prepare("UPDATE sessions SET snapshot_seq = 0 WHERE id = 'keep'").run();
    edit.close();

    for (const [file, pattern] of [[corrupt, /CORRUPT|NOT_A_DATABASE/], [foreign, /no "sessions" table.*WRONG_SCHEMA/], [gap, /session "keep" skips from seq 0 to 2.*CORRUPT/], [newer, /session "keep" was saved by a newer Outboard \(outboard\.session\/2\).*NEWER_VERSION/], [pathJoin(dir(), 'nope.sqlite'), /does not exist.*NOT_FOUND/]] as const) {
      const refused = await outboard(['restore', file], { OUTBOARD_REDIS_URL: redis.url });
      expect(refused.code, file).toBe(1);
      expect(refused.stderr).toMatch(pattern);
      expect(refused.stderr).toContain('nothing was changed');
      expect(await contents(redis)).toEqual(before);
    }
  }, 60_000);
});
