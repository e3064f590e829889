/**
 * Redis goes away under two relay nodes: /health answers 503 with the reason,
 * ops are refused with ENGINE_ERROR (the app keeps those queued), members are
 * dropped so they show "reconnecting"; when Redis is back (AOF at
 * `appendfsync always`), service resumes by itself and no acked op is lost.
 */
import { createServer } from 'node:net';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../server/config.ts';
import { createLogger } from '../../../server/log.ts';
import { createRelay } from '../../../server/relay.ts';
import { cleanup, open, param, refusal, SECRET, seedSession, stored, tempDir, token } from '../helpers.ts';
import { HAS_REDIS, loggedOps, NO_REDIS, startRedis, until, useCluster } from '../redis-helpers.ts';
import { faultUnderLoad, ResilientWriter } from '../../../bench/cluster-writer.ts';

const S = 'outage';

async function health(base: string, bearer?: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${base}/health`, bearer ? { headers: { Authorization: `Bearer ${bearer}` } } : {});
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe.skipIf(!HAS_REDIS)(`Redis goes away${HAS_REDIS ? '' : ` (skipped: ${NO_REDIS})`}`, () => {
  // Snapshots far apart: the restart test reads the whole log back, so nothing may be trimmed from it.
  const cluster = useCluster({ OUTBOARD_SNAPSHOT_EVERY: '1000000' });

  it('with Redis stopped: /health is 503 with the reason, ops are refused with ENGINE_ERROR, members are dropped; back by itself', async () => {
    const { redis, a, b } = cluster;
    const owner = await seedSession(a.ws, S);
    await redis.stop();
    // The member is dropped: the app shows "reconnecting" and keeps its edits queued.
    expect((await owner.closed).code).toBe(1011);
    for (const node of [a, b]) {
      // Each node notices the lost connection in its own time.
      await until(async () => (await health(node.url)).status === 503, 'health to say 503');
      const down = await health(node.url);
      expect(down.status).toBe(503);
      expect(down.body).toMatchObject({ status: 'error', storage: 'down' });
      expect(String(down.body.reason)).toMatch(/redis/);
      // Anyone may read /health: once a reconnect has failed, the reason says how, but names no address;
      // the store's own words (host and port) are for an admin.
      await until(async () => /ECONNREFUSED/.test(String((await health(node.url)).body.reason)), 'a failed reconnect in the reason');
      const refusedNow = await health(node.url);
      expect(String(refusedNow.body.reason)).toMatch(/^redis .*\(ECONNREFUSED\)$/);
      expect(JSON.stringify(refusedNow.body)).not.toContain(String(redis.port));
      expect(down.body.detail).toBeUndefined();
      expect((await health(node.url, await token(S, 'owner', 'owner'))).body.detail).toBeUndefined();
      const forAdmin = await health(node.url, await token('*', 'root', 'admin'));
      expect(forAdmin.status).toBe(503);
      expect(String(forAdmin.body.detail)).toContain(`127.0.0.1:${redis.port}`);
      expect(String(forAdmin.body.detail)).toMatch(/ECONNREFUSED/);
    }
    // A new socket is refused before any session data, and an op over HTTP is refused, both with ENGINE_ERROR.
    const refused = await refusal(open(b.ws, S, { token: await token(S, 'ed', 'editor') }));
    expect([refused.status, refused.code]).toEqual([503, 'ENGINE_ERROR']);
    const post = await fetch(`${b.url}/api/sessions/${S}/ops`, { method: 'POST', headers: { Authorization: `Bearer ${await token(S, 'ed', 'editor')}` }, body: JSON.stringify(param('h1', S, 300)) });
    expect(post.status).toBe(503);
    expect(await post.json()).toMatchObject({ code: 'ENGINE_ERROR', message: expect.stringMatching(/storage/) });

    await redis.restart();
    await until(async () => (await health(a.url)).status === 200 && (await health(b.url)).status === 200, 'both nodes healthy');
    const back = await seedSession(b.ws, S);
    expect((await stored(a.url, S)).seq).toBeGreaterThanOrEqual(2);
    back.close();
  });

  it('Redis restarted under load: nothing acked is lost, and the writers carry on by themselves', async () => {
    const { redis, a, b } = cluster;
    const session = 'restart';
    (await seedSession(a.ws, session)).close();
    const writers = await Promise.all(['a', 'b'].map(async (name, i) => {
      const w = new ResilientWriter(i === 0 ? [a.ws, b.ws] : [b.ws, a.ws], session, await token(session, `w${name}`, 'editor'), `${name}_`);
      await w.start();
      return w;
    }));
    await faultUnderLoad(writers, 2, 300, async () => {
      await redis.stop();
      await redis.restart();
    }, 300);

    // Every acked op is in the log after the restart, at its acked seq, once; the head counts them all.
    const head = (await stored(b.url, session)).seq;
    const inLog = await loggedOps(redis, session);
    expect([...inLog.values()].flat().length).toBe(head);
    for (const w of writers) {
      expect(w.refused).toEqual([]);
      // Each writer lost its socket with Redis and resumed by itself.
      expect(w.resumes.length).toBeGreaterThanOrEqual(1);
      for (const [id, seq] of w.acked) expect(inLog.get(id), id).toEqual([seq]);
    }
    expect(inLog.size).toBe(writers.reduce((n, w) => n + w.acked.size, 2));
    for (const w of writers) w.stop();
  });
});

describe.skipIf(!HAS_REDIS)(`a node's log while Redis is away${HAS_REDIS ? '' : ` (skipped: ${NO_REDIS})`}`, () => {
  it('says nothing of Redis at start, then once that it is unreachable and once that it is back, however many reconnects fail in between', async () => {
    const redis = await startRedis();
    const dataDir = tempDir();
    const lines: { level: number; msg: string }[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(...chunk.toString().split('\n').filter(Boolean).map((l) => JSON.parse(l) as { level: number; msg: string }));
        done();
      },
    });
    const relay = createRelay(loadConfig({ HOST: '127.0.0.1', PORT: '0', OUTBOARD_DATA_DIR: dataDir, OUTBOARD_JWT_SECRET: SECRET, OUTBOARD_REDIS_URL: redis.url }), { log: createLogger('info', sink) });
    // In Redis' place while it is away: takes each reconnect attempt and hangs up, so the node fails many times.
    let attempts = 0;
    const refuser = createServer((socket) => {
      attempts++;
      socket.destroy();
    });
    try {
      await relay.start();
      await redis.stop();
      await new Promise<void>((resolve) => refuser.listen(redis.port, '127.0.0.1', resolve));
      await until(() => attempts >= 8, 'the node to try to reconnect several times');
      await new Promise<void>((resolve) => refuser.close(() => resolve()));
      await redis.restart();
      await until(() => lines.some((l) => l.msg.startsWith('redis reachable again')), 'the node to see Redis back');
      const said = lines.filter((l) => l.msg.startsWith('redis ')).map((l) => [l.level, l.msg]);
      expect(said).toEqual([
        [50, 'redis unreachable; every session on this node dropped until it is back'],
        [30, 'redis reachable again; sessions reload on use'],
      ]);
    } finally {
      refuser.close();
      await relay.stop();
      await redis.dispose();
      cleanup(dataDir);
    }
  }, 60_000);
});
