/**
 * The limits of SPEC §7 across every node of a cluster, held in Redis:
 *
 * - connections per IP: each node keeps its own counts in a hash
 *   `{ob}:conns:<node>` with a TTL its heartbeat renews, and lists itself in
 *   `{ob}:nodes` (score: when it expires). Admission sums the live nodes'
 *   counts in one Lua script, so 10 per IP means 10 across the cluster; a node
 *   that dies (`kill -9`) stops renewing and its counts vanish with the TTL,
 *   they never leak. Each heartbeat rewrites the hash from the node's own
 *   counts, which also repairs them after a Redis restart; so these writes
 *   skip the AOF (see UNLOGGED);
 * - auth failures and protocol violations, and the IP blocks they lead to:
 *   rate-limiter-flexible's `RateLimiterRedis` (blocks through its `block()`),
 *   so an IP blocked on one node is blocked on all. The reason and expiry are
 *   kept beside it for the admin view;
 * - refusals by cause: one hash for the cluster.
 *
 * The connection total (`OUTBOARD_MAX_CONNECTIONS`) stays per node: it guards
 * this process's memory. With Redis away, the limiters fall back to per-node
 * memory (rate-limiter-flexible's insurance limiter); no socket is admitted
 * then anyway, since sessions cannot load.
 */
import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis } from 'rate-limiter-flexible';
import type { RelayConfig } from '../config.ts';
import { blockReason, ConnectionGuard, countsTowardBlock, type GuardSnapshot, type RejectionCause } from '../limits/guard.ts';

/** The live nodes: node id -> when its heartbeat expires (ms). */
export const NODES = '{ob}:nodes';
const REJECTIONS = '{ob}:rejections';
const BLOCKED = '{ob}:blocked';
const connsKey = (node: string) => `{ob}:conns:${node}`;
/** Why an IP is blocked, for the admin view; it expires with the block, so nothing accumulates. */
const reasonKey = (ip: string) => `{ob}:block-reason:${ip}`;

// The connection counts and the node list are live state that every heartbeat rewrites: their writes are kept out
// of the AOF (and replicas) with REPL_NONE. With appendfsync always, anything a turn writes is fsynced before Redis
// sends any reply or pub/sub message of that turn, so a persisted heartbeat held up every node's in-gesture values
// once per beat; and nothing is lost by it, since after a Redis restart no socket is left and the beats rebuild it all.
export const UNLOGGED = `redis.set_repl(redis.REPL_NONE)`;

// KEYS: nodes, own conns; ARGV: ip, max per ip, now ms, ttl ms, node id, conns key prefix.
const RESERVE = `
${UNLOGGED}
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[3])
local sum = 0
for _, node in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
  sum = sum + tonumber(redis.call('HGET', ARGV[6] .. node, ARGV[1]) or '0')
end
if sum >= tonumber(ARGV[2]) then return 0 end
redis.call('HINCRBY', KEYS[2], ARGV[1], 1)
redis.call('PEXPIRE', KEYS[2], ARGV[4])
redis.call('ZADD', KEYS[1], tonumber(ARGV[3]) + tonumber(ARGV[4]), ARGV[5])
return 1
`;

// KEYS: nodes, own conns; ARGV: now ms, ttl ms, node id, then ip and count pairs. Answers the live nodes.
const BEAT = `
${UNLOGGED}
redis.call('DEL', KEYS[2])
for i = 4, #ARGV, 2 do redis.call('HSET', KEYS[2], ARGV[i], ARGV[i + 1]) end
if #ARGV > 3 then redis.call('PEXPIRE', KEYS[2], ARGV[2]) end
redis.call('ZADD', KEYS[1], tonumber(ARGV[1]) + tonumber(ARGV[2]), ARGV[3])
return redis.call('ZRANGEBYSCORE', KEYS[1], ARGV[1], '+inf')
`;

// KEYS: own conns; ARGV: ip.
const RELEASE = `
${UNLOGGED}
return redis.call('HINCRBY', KEYS[1], ARGV[1], -1)
`;

/** How often a node renews its counts; they expire after three missed beats. */
export const HEARTBEAT_MS = 2000;
/** How long a node's heartbeat keys outlive its last beat. */
export const TTL_MS = 3 * HEARTBEAT_MS;

/** Connection and abuse limits shared by the nodes of a cluster. */
export class ClusterGuard extends ConnectionGuard {
  private readonly failuresShared: RateLimiterRedis;
  private readonly blocksShared: RateLimiterRedis;
  private readonly redis: Redis & {
    obReserve(nodes: string, own: string, ...args: (string | number)[]): Promise<number>;
    obBeat(nodes: string, own: string, ...args: (string | number)[]): Promise<string[]>;
    obRelease(own: string, ip: string): Promise<number>;
  };
  private timer: NodeJS.Timeout | undefined;
  /** Called after each heartbeat with the nodes alive now (this one included). */
  onLiveNodes: ((live: ReadonlySet<string>) => void) | undefined;

  constructor(config: RelayConfig, redis: Redis, private readonly nodeId: string, now: () => number = Date.now) {
    super(config, now);
    redis.defineCommand('obReserve', { numberOfKeys: 2, lua: RESERVE });
    redis.defineCommand('obBeat', { numberOfKeys: 2, lua: BEAT });
    redis.defineCommand('obRelease', { numberOfKeys: 1, lua: RELEASE });
    this.redis = redis as typeof this.redis;
    const windowS = Math.max(1, Math.ceil(config.blockWindowMs / 1000));
    const blockS = Math.max(1, Math.ceil(config.blockDurationMs / 1000));
    this.failuresShared = new RateLimiterRedis({
      storeClient: redis, keyPrefix: '{ob}:failures', points: config.blockThreshold - 1, duration: windowS, rejectIfRedisNotReady: true,
      insuranceLimiter: new RateLimiterMemory({ points: config.blockThreshold - 1, duration: windowS }),
    });
    this.blocksShared = new RateLimiterRedis({
      storeClient: redis, keyPrefix: '{ob}:blocks', points: 1, duration: blockS, rejectIfRedisNotReady: true,
      insuranceLimiter: new RateLimiterMemory({ points: 1, duration: blockS }),
    });
  }

  /** Starts renewing this node's counts (and its place in the node list). */
  start(): void {
    void this.beat();
    this.timer = setInterval(() => void this.beat(), HEARTBEAT_MS);
    this.timer.unref();
  }

  /** Stops renewing and removes this node's counts at once (a clean shutdown). */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.redis.multi().del(connsKey(this.nodeId)).zrem(NODES, this.nodeId).exec().catch(() => undefined);
  }

  private async beat(): Promise<void> {
    const counts: (string | number)[] = [];
    for (const [ip, n] of this.perIp) counts.push(ip, n);
    const live = await this.redis.obBeat(NODES, connsKey(this.nodeId), this.now(), TTL_MS, this.nodeId, ...counts).catch(() => null);
    if (Array.isArray(live)) this.onLiveNodes?.(new Set(live));
  }

  override async admit(ip: string): Promise<RejectionCause | undefined> {
    if ((await this.blockedUntil(ip)) !== undefined) return 'blocked';
    if (this.total >= this.config.maxConnections) return 'too_many_total';
    return undefined;
  }

  override async reserve(ip: string): Promise<RejectionCause | undefined> {
    const early = await this.admit(ip);
    if (early) return early;
    const ok = await this.redis.obReserve(NODES, connsKey(this.nodeId), ip, this.config.maxConnectionsPerIp, this.now(), TTL_MS, this.nodeId, connsKey(''));
    if (ok !== 1) return 'too_many_per_ip';
    this.opened(ip);
    return undefined;
  }

  override closed(ip: string): void {
    super.closed(ip);
    // A decrement, not the local count: a reservation may be on its way for the same IP. The next beat drops zeros.
    this.redis.obRelease(connsKey(this.nodeId), ip).catch(() => undefined);
  }

  override async blockedUntil(ip: string): Promise<number | undefined> {
    const res = await this.blocksShared.get(ip).catch(() => null);
    return res !== null && res.consumedPoints > this.blocksShared.points && res.msBeforeNext > 0 ? this.now() + res.msBeforeNext : undefined;
  }

  override reject(ip: string, cause: RejectionCause): void {
    this.rejections.set(cause, (this.rejections.get(cause) ?? 0) + 1);
    this.redis.hincrby(REJECTIONS, cause, 1).catch(() => undefined);
    if (!countsTowardBlock(cause)) return;
    this.failuresShared.consume(ip).catch(async () => {
      if ((await this.blockedUntil(ip)) !== undefined) return;
      const until = this.now() + this.config.blockDurationMs;
      await this.blocksShared.block(ip, Math.ceil(this.config.blockDurationMs / 1000));
      await this.redis.multi().zadd(BLOCKED, until, ip).set(reasonKey(ip), blockReason(this.config, cause), 'PX', this.config.blockDurationMs).exec();
      await this.failuresShared.delete(ip);
    }).catch(() => undefined);
  }

  /** The cluster's view: connections summed over live nodes, blocks and refusals from Redis. */
  override async snapshot(): Promise<GuardSnapshot> {
    const now = this.now();
    await this.redis.zremrangebyscore(NODES, '-inf', String(now));
    await this.redis.zremrangebyscore(BLOCKED, '-inf', String(now));
    const nodes = await this.redis.zrange(NODES, 0, '-1');
    const perIp: Record<string, number> = {};
    const perNode: Record<string, number> = {};
    for (const node of nodes) {
      const counts = await this.redis.hgetall(connsKey(node));
      let sum = 0;
      for (const [ip, n] of Object.entries(counts)) {
        perIp[ip] = (perIp[ip] ?? 0) + Number(n);
        sum += Number(n);
      }
      perNode[node] = sum;
    }
    const blocked = await this.redis.zrange(BLOCKED, 0, '-1', 'WITHSCORES');
    const ips = blocked.filter((_, i) => i % 2 === 0);
    const reasons = ips.length > 0 ? await this.redis.mget(ips.map(reasonKey)) : [];
    const list: GuardSnapshot['blocked'] = ips.map((ip, i) => {
      const until = Number(blocked[2 * i + 1]);
      return { ip, reason: reasons[i] ?? '', expires_at: new Date(until).toISOString(), expires_in_s: Math.ceil((until - now) / 1000) };
    });
    const rejections = Object.fromEntries(Object.entries(await this.redis.hgetall(REJECTIONS)).map(([k, v]) => [k, Number(v)]));
    return { total: Object.values(perNode).reduce((a, b) => a + b, 0), perIp, blocked: list, rejections, nodes: perNode };
  }
}
