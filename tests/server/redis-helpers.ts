/**
 * The cluster tests' harness: redis-server and relay nodes from
 * bench/redis-server.ts (the cluster bench uses them too), plus a cluster
 * per test file.
 */
import { afterAll, beforeAll } from 'vitest';
import { cleanup, type TestRelay } from '../../bench/relay-client.ts';
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
