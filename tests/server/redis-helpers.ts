/**
 * The cluster tests' harness: redis-server and relay nodes from
 * bench/redis-server.ts (the cluster bench uses them too), plus a cluster
 * per test file.
 */
import { afterAll, beforeAll } from 'vitest';
import { join as pathJoin } from 'node:path';
import { cleanup, spawnRelay, tempDir, type TestRelay } from '../../bench/relay-client.ts';
import { startNode, startRedis, type TestRedis } from '../../bench/redis-server.ts';

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
