/**
 * `outboard backup` and `outboard restore` on a cluster (`OUTBOARD_REDIS_URL`),
 * in the single node's backup format: one SQLite file with the same tables
 * (`sessions`, `ops`), so one backup restores to either kind of relay.
 *
 * Backup, online: each session listed in the index is read by one script —
 * its snapshot, head and whole stream at one instant — after the backup
 * began, so every op acked before that (a node acks only once Redis ran the
 * append) is in the copy, at its seq. The file is written beside the target
 * and renamed over it once it checks sound, as the single node's backup is.
 *
 * Restore, offline: the file is checked first (SQLite's integrity check, the
 * schema, then every document and op parsed and every log contiguous from
 * its snapshot to its head); then it refuses while any node's heartbeat is
 * alive; only then are the sessions now in Redis removed and the file's
 * written, each session in one MULTI. A refusal changes nothing; a Redis
 * failure part-way (INTERRUPTED) leaves some sessions written: run it again.
 */
import Database from 'better-sqlite3';
import { Redis } from 'ioredis';
import { rmSync } from 'node:fs';
import type { Result } from '../../src/protocol/errors.ts';
import { NODES } from '../cluster/guard.ts';
import { stampedAt } from '../cluster/stamps.ts';
import { finishBackup, partialPath, targetProblem, type BackupReport } from './backup.ts';
import { checkDatabase, maintenanceError, readSessions, type DatabaseReport, type MaintenanceError, type SessionRow } from './check.ts';
import { logEntry, SESSION_INDEX, sessionKeys, type RawEntry } from './redis.ts';
import { SCHEMA } from './sqlite.ts';

// KEYS: meta log. One script: the snapshot, the head and the log of one instant.
const READ = `
local m = redis.call('HMGET', KEYS[1], 'seq', 'snap_seq', 'doc', 'by', 'created')
if not m[1] then return false end
return {m[1], m[2], m[3], m[4] or '', m[5] or '0', redis.call('XRANGE', KEYS[2], '-', '+')}
`;

/**
 * Sessions a backup reads at once. Redis runs a client's pipelined scripts back to back, so the nodes' appends
 * wait behind all of them (`bench ops --cluster`, 481 sessions, load 1: a node's ack p99 during the backup 24 ms
 * with 16 at once, 14 ms with 4 and 16 ms with 1 — the noise floor here — against 3-7 ms before it).
 */
const READ_AT_ONCE = 4;
/** Sessions a restore writes at once: no node is running then, so only its own time counts. */
const WRITTEN_AT_ONCE = 16;

/** Runs a MULTI; throws the first command's error (EXEC answers them per command, it does not reject). */
async function exec(tx: ReturnType<Redis['multi']>): Promise<void> {
  const failed = ((await tx.exec()) ?? []).find(([error]) => error);
  if (failed) throw failed[0];
}

type Raw = [seq: string, snap: string, doc: string, by: string, created: string, entries: RawEntry[]];
type Commands = Redis & { obRead(meta: string, log: string): Promise<Raw | null> };

/** A session as the backup file holds it. */
/** Connects to `url` once, failing fast: a maintenance command reports an unreachable Redis, it does not wait for it. */
async function connect(url: string): Promise<Result<Commands, MaintenanceError>> {
  const redis = new Redis(url, { lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0, connectTimeout: 3000 });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
  } catch (error) {
    redis.disconnect();
    return { ok: false, error: maintenanceError('IO_ERROR', `cannot reach Redis at ${url}: ${(error as Error).message}`) };
  }
  redis.defineCommand('obRead', { numberOfKeys: 2, lua: READ });
  return { ok: true, value: redis as Commands };
}

/** Copies every session of the cluster on `redisUrl` to `target` (the single node's format) while the nodes run. */
export async function backupCluster(redisUrl: string, target: string): Promise<Result<BackupReport, MaintenanceError>> {
  const unwritable = targetProblem(target);
  if (unwritable) return { ok: false, error: unwritable };
  const connected = await connect(redisUrl);
  if (!connected.ok) return connected;
  const redis = connected.value;
  const tmp = partialPath(target);
  rmSync(tmp, { force: true });
  const db = new Database(tmp);
  try {
    db.pragma('auto_vacuum = INCREMENTAL');
    db.exec(SCHEMA);
    const insertSession = db.prepare('INSERT INTO sessions (id, document, snapshot_seq, seq, created_at, updated_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?)');
    const insertOp = db.prepare('INSERT INTO ops (session_id, seq, op, user_id, created_at) VALUES (?, ?, ?, ?, ?)');
    const write = (s: SessionRow) => {
      insertSession.run(s.id, s.document, s.snapshotSeq, s.seq, s.createdAt, s.updatedAt, s.createdBy);
      for (const op of s.ops) insertOp.run(s.id, op.seq, op.op, op.user, stampedAt(op.op) ?? s.createdAt);
    };
    const ids = await redis.zrange(SESSION_INDEX, '0', '-1');
    // One transaction for the whole file (one sync at its end, not one per session); the reads are pipelined
    // a few sessions at a time (READ_AT_ONCE), each still one script, so each session is still one instant.
    db.exec('BEGIN');
    for (let at = 0; at < ids.length; at += READ_AT_ONCE) {
      const chunk = ids.slice(at, at + READ_AT_ONCE);
      const raws = await Promise.all(chunk.map((id) => redis.obRead(sessionKeys(id).meta, sessionKeys(id).log)));
      raws.forEach((raw, i) => {
        // Deleted since the index was read.
        if (!raw) return;
        const [seq, snap, document, by, created, entries] = raw;
        const ops = entries.map(logEntry);
        const createdAt = Number(created);
        const last = ops[ops.length - 1];
        write({
          id: chunk[i]!, document, snapshotSeq: Number(snap), seq: Number(seq), createdAt, createdBy: by || null, ops,
          updatedAt: (last && stampedAt(last.op)) ?? createdAt,
        });
      });
    }
    db.exec('COMMIT');
  } catch (error) {
    db.close();
    rmSync(tmp, { force: true });
    return { ok: false, error: maintenanceError('IO_ERROR', `backup failed: ${(error as Error).message}`) };
  } finally {
    redis.disconnect();
  }
  db.close();
  return finishBackup(tmp, target);
}

/** Replaces the sessions of the cluster on `redisUrl` with those of the backup `source`; refuses while a node is alive or the file is bad. */
export async function restoreCluster(redisUrl: string, source: string): Promise<Result<DatabaseReport, MaintenanceError>> {
  const checked = checkDatabase(source);
  if (!checked.ok) return checked;
  const sessions = readSessions(source);
  if (!sessions.ok) return sessions;
  const connected = await connect(redisUrl);
  if (!connected.ok) return connected;
  const redis = connected.value;
  try {
    const live = await redis.zrangebyscore(NODES, String(Date.now()), '+inf');
    if (live.length > 0) {
      return { ok: false, error: maintenanceError('RELAY_RUNNING', `relay nodes are alive on ${redisUrl} (${live.join(', ')}): stop every node first (restore never replaces a live cluster's sessions)`) };
    }
    const current = await redis.zrange(SESSION_INDEX, '0', '-1');
    for (let at = 0; at < current.length; at += WRITTEN_AT_ONCE) {
      await Promise.all(current.slice(at, at + WRITTEN_AT_ONCE).map((id) => {
        const k = sessionKeys(id);
        return exec(redis.multi().del(k.meta, k.log, k.ids).zrem(SESSION_INDEX, id));
      }));
    }
    // A few sessions' MULTIs in flight at once: with `appendfsync always` Redis then syncs once for all of them.
    for (let at = 0; at < sessions.value.length; at += WRITTEN_AT_ONCE) {
      await Promise.all(sessions.value.slice(at, at + WRITTEN_AT_ONCE).map((s) => {
        const k = sessionKeys(s.id);
        const tx = redis.multi().del(k.meta, k.log, k.ids)
          .hset(k.meta, { seq: s.seq, snap_seq: s.snapshotSeq, doc: s.document, by: s.createdBy ?? '', created: s.createdAt })
          .zadd(SESSION_INDEX, s.createdAt, s.id);
        for (const op of s.ops) {
          tx.xadd(k.log, `${op.seq}-0`, 'u', op.user, 'op', op.op);
          // The op ids answer a client's retry with the op's first seq, as before the restore.
          tx.zadd(k.ids, op.seq, (JSON.parse(op.op) as { id: string }).id);
        }
        return exec(tx);
      }));
    }
    return checked;
  } catch (error) {
    return { ok: false, error: maintenanceError('INTERRUPTED', `restore failed part-way (${(error as Error).message}): run it again before starting a node`) };
  } finally {
    redis.disconnect();
  }
}
