/**
 * The operator's sessions on a cluster (`GET/DELETE /api/sessions`): read
 * from Redis, so every node answers the same.
 *
 * - The list comes from the session index (`{ob}:sessions`, written when a
 *   session is created), never a SCAN. Name, seq and last change are exact:
 *   the snapshot's name with any rename logged after it, the head seq, and
 *   the HLC wall time of the newest logged op.
 * - Members are counted on every live node: each node writes its own counts
 *   to `{ob}:members:<node>` on the limits' heartbeat period, with the same
 *   TTL, so a killed node's members vanish with it.
 * - A delete is one script: snapshot, log, dedup ids and index entry go
 *   together, and the same script publishes `d<node> <reason>` on the
 *   session's channel; every node with members closes them with 4404 and the
 *   reason, as the single node does.
 *
 * The script names keys of several sessions' slots: `OUTBOARD_REDIS_URL` is
 * one Redis server (with replicas), not Redis Cluster mode.
 */
import type { Redis } from 'ioredis';
import type { StampedOp } from '../../src/model/index.ts';
import type { Logger } from '../log.ts';
import type { SessionAdmin, SessionInfo } from '../session/admin.ts';
import { storageCall } from '../session/types.ts';
import { logEntry, SESSION_INDEX, sessionKeys, type RawEntry, type RedisStore } from '../store/redis.ts';
import { HEARTBEAT_MS, NODES, TTL_MS, UNLOGGED } from './guard.ts';
import type { ClusterRegistry } from './registry.ts';
import { stampedAt } from './stamps.ts';

const membersKey = (node: string) => `{ob}:members:${node}`;
/** Set once the sessions stored before the index existed have been indexed. */
const INDEXED = '{ob}:sessions:indexed';

/** The channel message that tells every node a session was deleted: `d<node> <reason>`. */
const DELETED = 'd';
const DELETED_KIND = DELETED.charCodeAt(0);

// KEYS: this node's member counts; ARGV: ttl ms, then session and count pairs (none: the key is only removed).
// Live state every beat rewrites, kept out of the AOF like the connection counts (see guard.ts).
const MEMBERS_BEAT = `
${UNLOGGED}
redis.call('DEL', KEYS[1])
for i = 2, #ARGV, 2 do redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1]) end
if #ARGV > 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return 1
`;

// KEYS: meta log ids index; ARGV: id, channel, message.
const DELETE = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('DEL', KEYS[1], KEYS[2], KEYS[3])
redis.call('ZREM', KEYS[4], ARGV[1])
redis.call('PUBLISH', ARGV[2], ARGV[3])
return 1
`;

/** The op of a stream entry, parsed (undefined if unreadable: the listing shows what it can). */
function opOf(raw: RawEntry): StampedOp | undefined {
  try {
    return JSON.parse(logEntry(raw).op) as StampedOp;
  } catch {
    return undefined;
  }
}

/** The session name an op sets, if it renames (alone or inside a BATCH). */
function renameIn(op: StampedOp): string | undefined {
  if (op.type === 'UPDATE_SESSION') return op.data.changes.name;
  if (op.type !== 'BATCH') return undefined;
  let name: string | undefined;
  for (const inner of op.data.ops) if (inner.type === 'UPDATE_SESSION' && inner.data.changes.name !== undefined) name = inner.data.changes.name;
  return name;
}


/** Listing and deleting the sessions of a cluster, from any node. */
export class ClusterAdmin implements SessionAdmin {
  private readonly redis: Redis & {
    obDelete(meta: string, log: string, ids: string, index: string, id: string, channel: string, message: string): Promise<number>;
    obMembersBeat(key: string, ttl: number, ...counts: (string | number)[]): Promise<number>;
  };
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly store: RedisStore, private readonly registry: ClusterRegistry, private readonly nodeId: string, private readonly log: Logger) {
    store.client.defineCommand('obDelete', { numberOfKeys: 4, lua: DELETE });
    store.client.defineCommand('obMembersBeat', { numberOfKeys: 1, lua: MEMBERS_BEAT });
    this.redis = store.client as ClusterAdmin['redis'];
    store.onMessage((id, bytes) => {
      if (bytes[0] !== DELETED_KIND) return;
      const message = bytes.toString();
      const space = message.indexOf(' ');
      if (space > 1) registry.end(id, message.slice(space + 1));
    });
  }

  /** Starts writing this node's member counts; indexes sessions stored before the index existed (once per Redis). */
  async start(): Promise<void> {
    this.timer = setInterval(() => void this.beat(), HEARTBEAT_MS);
    this.timer.unref();
    void this.beat();
    await this.indexOlderSessions().catch((error: unknown) => this.log.warn({ err: error }, 'older sessions not indexed; the next start retries'));
  }

  /**
   * Sessions created by a relay from before the index are found with one SCAN
   * over their meta keys and listed (scored by now: their creation time was
   * never recorded). Idempotent (ZADD NX), so nodes starting together do no
   * harm; a marker key makes it run once per Redis.
   */
  private async indexOlderSessions(): Promise<void> {
    if (await this.redis.exists(INDEXED)) return;
    const now = Date.now();
    let cursor = '0';
    do {
      const [next, keys] = await this.redis.scan(cursor, 'MATCH', 'ob:{*}:meta', 'COUNT', 1000);
      cursor = next;
      const ids = keys.map((k) => /^ob:\{(.+)\}:meta$/.exec(k)?.[1]).filter((id): id is string => id !== undefined);
      if (ids.length > 0) await this.redis.zadd(SESSION_INDEX, 'NX', ...ids.flatMap((id) => [now, id]));
    } while (cursor !== '0');
    await this.redis.set(INDEXED, String(now));
  }

  /** Stops, and removes this node's counts at once (a clean shutdown). */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.redis.obMembersBeat(membersKey(this.nodeId), TTL_MS).catch(() => undefined);
  }

  private async beat(): Promise<void> {
    const pairs = [...this.registry.memberCounts()].flat();
    await this.redis.obMembersBeat(membersKey(this.nodeId), TTL_MS, ...pairs).catch((error: unknown) => this.log.debug({ err: error }, 'member counts not written'));
  }

  /** Members per session on every live node: this node's own counted now, the others' as of their last beat. */
  private async members(): Promise<Map<string, number>> {
    const total = this.registry.memberCounts();
    const live = (await this.redis.zrangebyscore(NODES, String(Date.now()), '+inf')).filter((n) => n !== this.nodeId);
    if (live.length === 0) return total;
    const pipe = this.redis.pipeline();
    for (const node of live) pipe.hgetall(membersKey(node));
    for (const [error, counts] of (await pipe.exec()) ?? []) {
      if (error) continue;
      for (const [id, n] of Object.entries(counts as Record<string, string>)) total.set(id, (total.get(id) ?? 0) + Number(n));
    }
    return total;
  }

  list(createdBy?: string): Promise<SessionInfo[]> {
    return storageCall(this.read(createdBy));
  }

  private async read(createdBy: string | undefined): Promise<SessionInfo[]> {
    const indexed = await this.redis.zrange(SESSION_INDEX, '0', '-1', 'WITHSCORES');
    const ids = indexed.filter((_, i) => i % 2 === 0);
    if (ids.length === 0) return [];
    const metas = this.redis.pipeline();
    for (const id of ids) metas.hmget(sessionKeys(id).meta, 'seq', 'snap_seq', 'by', 'created', 'doc');
    const rows: { id: string; seq: number; snap: number; by: string | null; created: number; doc: string }[] = [];
    ((await metas.exec()) ?? []).forEach(([error, value], i) => {
      const [seq, snap, by, created, doc] = (value ?? []) as (string | null)[];
      // Deleted between the two reads, or from before the index recorded creators.
      if (error || seq == null || doc == null) return;
      if (createdBy !== undefined && by !== createdBy) return;
      rows.push({ id: ids[i]!, seq: Number(seq), snap: Number(snap), by: by || null, created: Number(created ?? indexed[2 * i + 1]), doc });
    });
    const details = this.redis.pipeline();
    for (const r of rows) {
      const k = sessionKeys(r.id);
      details.xrange(k.log, `${r.snap + 1}-0`, '+').xrevrange(k.log, '+', '-', 'COUNT', '1').memory('USAGE', k.meta).memory('USAGE', k.log);
    }
    const answers = (await details.exec()) ?? [];
    const members = await this.members();
    const sessions = rows.map((r, i): SessionInfo => {
      const [after, last, metaBytes, logBytes] = answers.slice(i * 4, i * 4 + 4).map(([, v]) => v);
      let name = (JSON.parse(r.doc) as { name?: string }).name ?? '';
      for (const e of (after ?? []) as RawEntry[]) {
        const op = opOf(e);
        const renamed = op && renameIn(op);
        if (renamed !== undefined) name = renamed;
      }
      const newest = ((last ?? []) as RawEntry[])[0];
      const hub = this.registry.loaded(r.id);
      return {
        id: r.id, name: hub?.doc.name ?? name, seq: Math.max(r.seq, hub?.committedSeq ?? 0),
        size: Number(metaBytes ?? 0) + Number(logBytes ?? 0), members: members.get(r.id) ?? 0,
        updatedAt: (newest && stampedAt(logEntry(newest).op)) ?? r.created, createdBy: r.by,
      };
    });
    return sessions.sort((x, y) => y.updatedAt - x.updatedAt);
  }

  async creatorOf(id: string): Promise<string | null | undefined> {
    const [seq, by] = await storageCall(this.redis.hmget(sessionKeys(id).meta, 'seq', 'by'));
    if (seq == null) return undefined;
    return by || null;
  }

  async delete(id: string, reason: string): Promise<boolean> {
    const k = sessionKeys(id);
    const deleted = await storageCall(this.redis.obDelete(k.meta, k.log, k.ids, SESSION_INDEX, id, k.channel, `${DELETED}${this.nodeId} ${reason}`));
    // This node's own members are closed at once, whether or not it is subscribed to the channel.
    this.registry.end(id, reason);
    return deleted === 1;
  }
}
