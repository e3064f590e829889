/**
 * The cluster tests' harness: redis-server and relay nodes from
 * bench/redis-server.ts (the cluster bench uses them too), plus a cluster
 * per test file.
 */
import { afterAll, beforeAll } from 'vitest';
import { join as pathJoin } from 'node:path';
import { cleanup, spawnRelay, startRelay, tempDir, type TestRelay } from '../../bench/relay-client.ts';
import { HAS_REDIS, NO_REDIS, startNode, startRedis, type TestRedis } from '../../bench/redis-server.ts';

export * from '../../bench/redis-server.ts';

/**
 * A redis-server and two in-process nodes on it for a whole test file,
 * started before its tests and stopped (data removed) after. Read `.redis`,
 * `.a` and `.b` inside tests.
 */
export function useCluster(env: Record<string, string> = {}): { redis: TestRedis; a: TestRelay; b: TestRelay } {
  const holder = {} as { redis: TestRedis; a: TestRelay; b: TestRelay };
  beforeAll(async () => {
    holder.redis = await startRedis();
    [holder.a, holder.b] = await Promise.all([startNode(holder.redis, env), startNode(holder.redis, env)]);
  });
  afterAll(async () => {
    await Promise.all([holder.a?.stop(), holder.b?.stop()]);
    for (const n of [holder.a, holder.b]) if (n) cleanup(n.dataDir);
    await holder.redis?.dispose();
  });
  return holder;
}

/** Two relays one session is reached through: `a` holds the owner, `b` takes the rest; on one node they are the same relay. */
export interface RelayPair {
  readonly a: TestRelay;
  readonly b: TestRelay;
  stop(): Promise<void>;
}

/**
 * For a suite that runs on one node and on a two-node cluster on a real
 * redis-server (`describe.each`): each entry is [name, skip, start]. Where
 * redis-server is missing the cluster's `skip` is NO_REDIS (it names the apt
 * package), for the suite to show as its skipped test's title.
 */
export function relayTargets(env: Record<string, string>): [name: string, skip: string | undefined, start: () => Promise<RelayPair>][] {
  return [
    ['one node', undefined, async () => {
      const t = await startRelay(env);
      return { a: t, b: t, stop: async () => (await t.stop(), cleanup(t.dataDir)) };
    }],
    ['a two-node cluster on Redis', HAS_REDIS ? undefined : NO_REDIS, async () => {
      const redis = await startRedis();
      const [a, b] = await Promise.all([startNode(redis, env), startNode(redis, env)]);
      return {
        a, b,
        stop: async () => {
          await Promise.all([a.stop(), b.stop()]);
          cleanup(a.dataDir);
          cleanup(b.dataDir);
          await redis.dispose();
        },
      };
    }],
  ];
}

/** A relay node in its own process (the compiled CLI's `serve`, as in production) on `redis`. */
export interface NodeProcess {
  readonly url: string;
  readonly ws: string;
  /** SIGTERM (a clean stop: its heartbeat keys go at once) and wait. */
  stop(): Promise<void>;
}

/** Spawns a node process on `redis` with its own data dir (removed when it stops). */
export async function spawnNode(redis: TestRedis, env: Record<string, string> = {}): Promise<NodeProcess> {
  const dir = tempDir();
  const child = await spawnRelay(pathJoin(dir, 'node'), 0, { OUTBOARD_REDIS_URL: redis.url, ...env });
  return {
    url: child.url, ws: child.ws,
    async stop() {
      if (child.child.exitCode === null) child.child.kill('SIGTERM');
      await child.exited;
      cleanup(dir);
    },
  };
}

/** Like {@link useCluster}, with the two nodes in processes of their own. */
export function useClusterProcesses(env: Record<string, string> = {}): { redis: TestRedis; a: NodeProcess; b: NodeProcess } {
  const holder = {} as { redis: TestRedis; a: NodeProcess; b: NodeProcess };
  beforeAll(async () => {
    holder.redis = await startRedis();
    [holder.a, holder.b] = await Promise.all([spawnNode(holder.redis, env), spawnNode(holder.redis, env)]);
  });
  afterAll(async () => {
    await Promise.all([holder.a?.stop(), holder.b?.stop()]);
    await holder.redis?.dispose();
  });
  return holder;
}
