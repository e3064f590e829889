/**
 * The parts a relay node is made of, for each kind of storage: one node on
 * SQLite (the default), or a cluster node on Redis (`OUTBOARD_REDIS_URL`).
 * relay.ts wires whichever this answers, the same way.
 */
import type { Registry } from 'prom-client';
import { RateLimiterMemory, RateLimiterRedis, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { RelayConfig } from '../config.ts';
import { ConnectionGuard } from '../limits/guard.ts';
import { InviteBook, type Invites } from '../auth/invites.ts';
import type { Logger } from '../log.ts';
import { SessionRegistry } from '../session/registry.ts';
import type { RelayObserver } from '../session/observer.ts';
import type { Sessions } from '../session/types.ts';
import { singleNodeAdmin, type SessionAdmin } from '../session/admin.ts';
import { RedisStore } from '../store/redis.ts';
import { SqliteStore } from '../store/sqlite.ts';
import type { StoreHandle } from '../store/types.ts';
import { ClusterAdmin } from './admin.ts';
import { ClusterGuard } from './guard.ts';
import { RedisInvites } from './invites.ts';
import { registerClusterMetrics } from './metrics.ts';
import { ClusterRegistry } from './registry.ts';

/** The single node's SQLite store and its sessions (the metrics read the file's size). */
export interface SingleNode {
  readonly store: SqliteStore;
  readonly registry: SessionRegistry;
}

/** Storage, sessions and limits of one node. */
export interface Backend {
  readonly store: StoreHandle;
  readonly registry: Sessions;
  readonly guard: ConnectionGuard;
  /** API requests per second per client address. */
  readonly httpLimiter: RateLimiterAbstract;
  /** Set on the single SQLite node. */
  readonly single: SingleNode | undefined;
  /** The operator's listing and deleting of stored sessions (on a cluster: every node's). */
  readonly admin: SessionAdmin;
  /** Invites: the single node's own file, or Redis shared by every node. */
  readonly invites: Invites;
  /** Connects to the store (a cluster node waits for Redis before it listens). */
  start(): Promise<void>;
  /** Closes the store once the relay drained. */
  close(): Promise<void>;
}

/** What each backend is built from. */
export interface BackendOptions {
  readonly nodeId: string;
  readonly replayMax: number;
  /** Counts ops for the metrics (every node's sessions report to it). */
  readonly observer: RelayObserver;
  /** Where a cluster node registers its Redis metrics. */
  readonly metrics: Registry;
}

/** The parts for `config`: a cluster node when OUTBOARD_REDIS_URL is set, else the single SQLite node. */
export function createBackend(config: RelayConfig, log: Logger, options: BackendOptions): Backend {
  const httpRate = { points: config.maxHttpRequestsPerSecond, duration: 1 };
  if (!config.redisUrl) {
    const store = new SqliteStore(config.dataDir, config.sync, { ops: config.logRetainOps, days: config.logRetainDays });
    const invites = new InviteBook(config.dataDir);
    const registry = new SessionRegistry(store, log, {
      snapshotEvery: config.snapshotEvery, replayMax: options.replayMax, dedupWindow: config.dedupWindow, maxDocumentBytes: config.maxDocumentBytes, nodeId: options.nodeId, observer: options.observer,
    });
    return {
      store,
      registry,
      single: { store, registry },
      admin: singleNodeAdmin(store, registry),
      invites,
      guard: new ConnectionGuard(config),
      httpLimiter: new RateLimiterMemory(httpRate),
      start: async () => undefined,
      async close() {
        await store.close();
        invites.close();
      },
    };
  }
  if (!config.jwtSecret && !config.jwksUrl) {
    throw new Error('OUTBOARD_REDIS_URL needs OUTBOARD_JWT_SECRET (or OUTBOARD_JWKS_URL): every node must accept the same tokens');
  }
  const store = new RedisStore(config.redisUrl, config.redisChannelsUrl);
  registerClusterMetrics(options.metrics, store);
  const guard = new ClusterGuard(config, store.client, options.nodeId);
  // The resume window of the single node's retention: the stream keeps it behind each snapshot (see docs/operating.md).
  const replayMax = config.logRetainDays > 0 ? options.replayMax : Math.max(1, Math.min(options.replayMax, config.logRetainOps));
  const registry = new ClusterRegistry(store, log, {
    nodeId: options.nodeId, snapshotEvery: config.snapshotEvery, replayMax, dedupWindow: config.dedupWindow, maxDocumentBytes: config.maxDocumentBytes, observer: options.observer,
  });
  // The node list the limits keep also tells each session which other nodes' members are gone.
  guard.onLiveNodes = (live) => registry.liveNodes(live);
  const admin = new ClusterAdmin(store, registry, options.nodeId, log);
  return {
    store,
    registry,
    guard,
    single: undefined,
    admin,
    invites: new RedisInvites(store, options.nodeId),
    httpLimiter: new RateLimiterRedis({ storeClient: store.client, keyPrefix: '{ob}:http', ...httpRate, rejectIfRedisNotReady: true, insuranceLimiter: new RateLimiterMemory(httpRate) }),
    async start() {
      await store.connect();
      guard.start();
      await admin.start();
    },
    async close() {
      await Promise.all([guard.stop(), admin.stop()]);
      await store.close();
    },
  };
}
