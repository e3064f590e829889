/**
 * Limits across cluster nodes (SPEC §7 with OUTBOARD_REDIS_URL): the per-IP
 * connection limit counts every node's connections, an IP blocked on one node
 * is blocked on the other, a killed node's connections stop counting once its
 * heartbeat key expires, and /admin/websocket-security shows the cluster.
 * The counts and heartbeats are live state that is never written to the AOF.
 */
import { mkdirSync } from 'node:fs';
import { join as pathJoin } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cleanup, join, open, refusal, seedSession, spawnRelay, tempDir, token, type Client } from '../helpers.ts';
import { HAS_REDIS, NO_REDIS, until, useCluster } from '../redis-helpers.ts';

const S = 'limits';

interface SecurityView {
  connections: { total: number; per_ip: Record<string, number>; per_node: Record<string, number> };
  blocked: { ip: string; reason: string }[];
  rejections: Record<string, number>;
}

async function security(base: string): Promise<SecurityView> {
  const res = await fetch(`${base}/admin/websocket-security`, { headers: { Authorization: `Bearer ${await token('*', 'root', 'admin')}` } });
  return (await res.json()) as SecurityView;
}

describe.skipIf(!HAS_REDIS)(`limits across nodes${HAS_REDIS ? '' : ` (skipped: ${NO_REDIS})`}`, () => {
  const cluster = useCluster({ OUTBOARD_BLOCK_THRESHOLD: '5', OUTBOARD_BLOCK_WINDOW_MS: '60000', OUTBOARD_BLOCK_DURATION_MS: '600000' });

  beforeAll(async () => {
    (await seedSession(cluster.a.ws, S)).close();
  });

  it('connection counts and heartbeats stay out of Redis\' AOF (each write there is an fsync that holds back the replies of its turn)', async () => {
    const { redis, a, b } = cluster;
    const inspect = redis.client();
    const aofBytes = async () => Number(/aof_current_size:(\d+)/.exec(await inspect.info('persistence'))?.[1]);
    const nodes = async () => await inspect.zrange('{ob}:nodes', 0, '-1', 'WITHSCORES');
    // Read from Redis itself, not through /admin (HTTP requests count against the HTTP rate limit, which is logged).
    const counted = async () => {
      let sum = 0;
      for (const [i, node] of (await nodes()).entries()) if (i % 2 === 0) sum += Number((await inspect.hget(`{ob}:conns:${node}`, '127.0.0.11')) ?? 0);
      return sum;
    };
    const everyNodeBeatsTwice = async () => {
      // A node's score moves on at each of its beats.
      for (let i = 0; i < 2; i++) {
        const before = await nodes();
        await until(async () => (await nodes()).every((x, k) => k % 2 === 0 || x !== before[k]), 'every node to beat');
      }
    };
    // First in this file: the other tests leave writes of their own behind (refusals counted, blocks recorded).
    const before = await aofBytes();
    const from = { localAddress: '127.0.0.11', token: await token(S, 'ed', 'editor') };
    const held = [await join(a.ws, S, from), await join(b.ws, S, from)];
    expect(await counted()).toBe(2);
    await everyNodeBeatsTwice();
    expect(await counted()).toBe(2);
    for (const c of held) c.close();
    await until(async () => (await counted()) === 0, 'the counts to go');
    await everyNodeBeatsTwice();
    expect(await aofBytes()).toBe(before);
  });

  it('10 connections per IP means 10 across both nodes, not 10 on each', async () => {
    const { a, b } = cluster;
    const from = { localAddress: '127.0.0.7', token: await token(S, 'ed', 'editor') };
    const held: Client[] = [];
    for (let i = 0; i < 10; i++) held.push(await join(i % 2 === 0 ? a.ws : b.ws, S, from));
    for (const node of [a, b]) {
      const refused = await refusal(open(node.ws, S, from));
      expect([refused.status, refused.code]).toEqual([429, 'RATE_LIMITED']);
    }
    // Refusals are counted in Redis after they are answered: wait for both.
    await until(async () => (await security(b.url)).rejections.too_many_per_ip === 2, 'both refusals counted');
    const view = await security(b.url);
    expect(view.connections.per_ip['127.0.0.7']).toBe(10);
    expect(Object.values(view.connections.per_node).sort()).toEqual([5, 5]);
    // One leaves node A: one more may join, on node B.
    held.shift()!.close();
    await until(async () => (await security(b.url)).connections.per_ip['127.0.0.7'] === 9, 'the count to drop');
    held.push(await join(b.ws, S, from));
    for (const c of held) c.close();
  });

  it('an IP blocked on one node is blocked on the other, with the reason in the cluster view', async () => {
    const { a, b } = cluster;
    const attacker = { localAddress: '127.0.0.8' };
    for (let i = 0; i < 5; i++) expect((await refusal(open(a.ws, S, { ...attacker, token: 'not.a.jwt' }))).status).toBe(401);
    // The block is written to Redis after the fifth refusal was answered: wait for the cluster view to show it.
    await until(async () => (await security(b.url)).blocked.some((x) => x.ip === '127.0.0.8'), 'the block to show');
    const refused = await refusal(open(b.ws, S, { ...attacker, token: await token(S, 'ed', 'editor') }));
    expect([refused.status, refused.code]).toEqual([429, 'RATE_LIMITED']);
    // Until when, from the block Redis holds: within the configured 10 minutes.
    const body = JSON.parse(refused.message.slice(refused.message.indexOf('{'))) as { message: string; retry_after_s: number };
    expect(body.message).toMatch(/blocked until \d{4}-.*Z \(\d+ s from now\)/);
    expect(body.retry_after_s).toBeGreaterThan(500);
    expect(body.retry_after_s).toBeLessThanOrEqual(600);
    const view = await security(a.url);
    expect(view.blocked.find((x) => x.ip === '127.0.0.8')?.reason).toMatch(/auth failures/);
    // Someone else is unaffected, on either node.
    (await join(b.ws, S, { localAddress: '127.0.0.9', token: await token(S, 'ed', 'editor') })).close();
  });

  it('a killed node\'s connections stop counting when its heartbeat key expires', async () => {
    const { redis, a } = cluster;
    const dir = tempDir();
    mkdirSync(pathJoin(dir, 'c'));
    const c = await spawnRelay(pathJoin(dir, 'c'), 0, { OUTBOARD_REDIS_URL: redis.url });
    try {
      const from = { localAddress: '127.0.0.10', token: await token(S, 'ed', 'editor') };
      const held = await Promise.all(Array.from({ length: 10 }, () => join(c.ws, S, from)));
      expect((await refusal(open(a.ws, S, from))).status).toBe(429);
      c.child.kill('SIGKILL');
      await c.exited;
      await Promise.all(held.map((h) => h.closed));
      // No goodbye from a killed node: its counts go when its key's TTL runs out (a few heartbeats).
      await until(async () => (await security(a.url)).connections.per_ip['127.0.0.10'] === undefined, 'the dead node\'s counts to expire');
      const admitted = await Promise.all(Array.from({ length: 10 }, () => join(a.ws, S, from)));
      for (const h of admitted) h.close();
    } finally {
      if (c.child.exitCode === null) c.child.kill('SIGKILL');
      cleanup(dir);
    }
  });
});
