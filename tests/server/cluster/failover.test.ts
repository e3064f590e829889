/**
 * `kill -9` of a relay node while 1,000 ops/s flow through it: its members
 * resume on the other node, and every acked op is in the log exactly once,
 * at the seq its ack gave. Real relay processes, real redis-server.
 */
import { mkdirSync } from 'node:fs';
import { join as pathJoin } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanup, join, seedSession, spawnRelay, tempDir, token, type ChildRelay } from '../helpers.ts';
import { HAS_REDIS, loggedOps, NO_REDIS, startRedis, type TestRedis } from '../redis-helpers.ts';
import { faultUnderLoad, ResilientWriter } from '../../../bench/cluster-writer.ts';

const S = 'failover';
const WRITERS = 4;
const RATE = 1000;

describe.skipIf(!HAS_REDIS)(`a node killed under load${HAS_REDIS ? '' : ` (skipped: ${NO_REDIS})`}`, () => {
  let redis: TestRedis;
  let a: ChildRelay;
  let b: ChildRelay;
  const dir = tempDir();

  beforeAll(async () => {
    redis = await startRedis();
    // Snapshots far apart: the test reads the whole log back, so nothing may be trimmed from it.
    const env = { OUTBOARD_REDIS_URL: redis.url, OUTBOARD_MAX_MESSAGES_PER_SECOND: '2000', OUTBOARD_SNAPSHOT_EVERY: '1000000' };
    for (const n of ['a', 'b']) mkdirSync(pathJoin(dir, n));
    [a, b] = await Promise.all([spawnRelay(pathJoin(dir, 'a'), 0, env), spawnRelay(pathJoin(dir, 'b'), 0, env)]);
  });
  afterAll(async () => {
    for (const n of [a, b]) if (n && n.child.exitCode === null) {
      n.child.kill('SIGKILL');
      await n.exited;
    }
    await redis?.dispose();
    cleanup(dir);
  });

  it('kill -9 at 1,000 ops/s: members resume on the other node, every acked op logged exactly once', async () => {
    const owner = await seedSession(b.ws, S);
    const writers = await Promise.all(Array.from({ length: WRITERS }, async (_, i) => {
      const w = new ResilientWriter([a.ws, b.ws], S, await token(S, `w${i}`, 'editor'), `w${i}_`);
      await w.start();
      return w;
    }));
    // 1,000 ops/s in all, sent in 10 ms ticks, through node A, killed mid-stream.
    await faultUnderLoad(writers, RATE / 100 / WRITERS, 1500, async () => {
      a.child.kill('SIGKILL');
      await a.exited;
    }, 1500);

    const log = await loggedOps(redis, S);
    let total = 0;
    for (const w of writers) {
      expect(w.refused).toEqual([]);
      expect(w.conflicting).toEqual([]);
      // At least once (a writer can also be dropped as a slow receiver on a busy machine, and resumes again).
      expect(w.resumes.length).toBeGreaterThanOrEqual(1);
      for (const [id, seq] of w.acked) {
        expect(log.get(id), id).toEqual([seq]);
        total++;
      }
    }
    // Nothing in the log twice, and nothing there that nobody sent.
    for (const [id, seqs] of log) expect(seqs.length, id).toBe(1);
    expect(log.size).toBe(total + 2);
    const resumes = writers.flatMap((w) => w.resumes).sort((x, y) => x - y);
    console.log(`resume after kill -9: ${resumes.map((ms) => `${Math.round(ms)} ms`).join(', ')} (${total} ops acked)`);
    for (const w of writers) w.stop();
    owner.close();
  });

  it('the presence of members on a killed node is cleared on the others once its heartbeat expires', async () => {
    mkdirSync(pathJoin(dir, 'c'));
    const c = await spawnRelay(pathJoin(dir, 'c'), 0, { OUTBOARD_REDIS_URL: redis.url });
    const here = await join(b.ws, S, { token: await token(S, 'here', 'editor') });
    const there = await join(c.ws, S, { token: await token(S, 'there', 'editor') });
    there.send({ id: 'touch', type: 'PRESENCE', session_id: S, data: { touching: { track_id: 't1', plugin_id: 'p1', parameter_id: 'cutoff' } } });
    const shown = await here.next((f) => f.type === 'PRESENCE' && (f.data as { user_id?: string }).user_id === 'there');
    c.child.kill('SIGKILL');
    await c.exited;
    // No goodbye from a killed node: its members leave when the node list says it is gone (a few heartbeats).
    const left = await here.next((f) => f.type === 'PRESENCE' && (f.data as { left?: boolean }).left === true, 20_000);
    expect(left.data).toMatchObject({ user_id: 'there', connection_id: (shown.data as { connection_id: string }).connection_id });
    here.close();
  });
});
