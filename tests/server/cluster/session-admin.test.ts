/**
 * The operator's session routes on a two-node cluster (real redis-server,
 * real relay processes over real sockets): either node lists every session with the
 * same answer as the single node's, members counted across both nodes; a
 * delete on one node closes the members of both with the single node's code
 * and reason, removes everything the session had in Redis, and frees the id.
 */
import { describe, expect, it } from 'vitest';
import { createSession } from '../../../src/model/index.ts';
import { join, open, param, refusal, seedSession, stored, token } from '../helpers.ts';
import { bearer, invite, list, remove } from '../session-admin-helpers.ts';
import { HAS_REDIS, NO_REDIS, spawnNode, until, useClusterProcesses } from '../redis-helpers.ts';

describe.skipIf(!HAS_REDIS)(`operator session routes on a cluster${HAS_REDIS ? '' : ` (skipped: ${NO_REDIS})`}`, () => {
  const cluster = useClusterProcesses();

  it('either node lists the sessions a token may see: id, name, seq, size, members on both nodes, last change', async () => {
    const { a, b } = cluster;
    const startedAt = Date.now();
    const alice = await seedSession(a.ws, 'l_alice', 'alice');
    (await seedSession(b.ws, 'l_bob', 'bob')).close();
    const fan = await join(b.ws, 'l_alice', { token: await token('l_alice', 'fan', 'viewer') });
    // A rename logged after the snapshot shows in the listing of a node that never loaded the session.
    alice.send({ id: 'rename', type: 'UPDATE_SESSION', session_id: 'l_alice', data: { changes: { name: 'Night set' } } });
    expect(await alice.answer('rename')).toMatchObject({ type: 'ack', seq: 3 });

    const admin = await bearer('*', 'root', 'admin');
    // Each node reports its members on its heartbeat: wait until A sees B's member.
    await until(async () => (await list(a.url, admin)).sessions.find((s) => s.id === 'l_alice')?.members === 2, 'members on both nodes in the listing');
    for (const base of [a.url, b.url]) {
      const all = await list(base, admin);
      expect(all.status).toBe(200);
      expect(all.ids).toEqual(['l_alice', 'l_bob']);
      const entry = all.sessions.find((s) => s.id === 'l_alice')!;
      expect(entry).toMatchObject({ name: 'Night set', seq: 3 });
      expect(entry.size_bytes).toBeGreaterThan(0);
      expect(Date.parse(entry.updated_at)).toBeGreaterThanOrEqual(startedAt - 1000);
      expect(Date.parse(entry.updated_at)).toBeLessThanOrEqual(Date.now());
      // Newest change first.
      expect(all.sessions[0]!.id).toBe('l_alice');
    }
    await until(async () => (await list(b.url, admin)).sessions.find((s) => s.id === 'l_alice')?.members === 2, 'members on both nodes seen from B');

    expect((await list(b.url, await bearer('*', 'alice', 'owner'))).ids).toEqual(['l_alice']);
    expect((await list(a.url, await bearer('l_bob', 'carol', 'owner'))).ids).toEqual(['l_bob']);
    expect((await list(a.url, await bearer('l_bob', 'carol', 'editor'))).status).toBe(403);
    expect((await list(b.url)).status).toBe(401);
    alice.close();
    fan.close();
  });

  it('an editor or viewer gets 403 and nothing changes', async () => {
    const { a, b } = cluster;
    const owner = await seedSession(a.ws, 'd_keep');
    const before = await stored(b.url, 'd_keep');
    for (const role of ['editor', 'viewer'] as const) {
      const res = await remove(b.url, 'd_keep', await bearer('d_keep', role, role));
      expect([res.status, ((await res.json()) as { code: string }).code]).toEqual([403, 'FORBIDDEN']);
    }
    expect((await remove(b.url, 'd_keep', await bearer('*', 'mallory', 'owner'))).status).toBe(403);
    expect(await stored(a.url, 'd_keep')).toEqual(before);
    owner.send(param('still_here', 'd_keep', 440));
    expect(await owner.answer('still_here')).toMatchObject({ type: 'ack', seq: before.seq + 1 });
    owner.close();
  });

  it('a delete on one node closes the members and event streams of both with the reason, removes stream, snapshot, index entry and invites; GET is 404 and the id is free', async () => {
    const { a, b, redis } = cluster;
    const owner = await seedSession(a.ws, 'd_gone');
    const link = await invite(a.url, 'd_gone');
    const onA = await join(a.ws, 'd_gone', { token: await token('d_gone', 'fan', 'viewer') });
    const onB = await join(b.ws, 'd_gone', { token: await token('d_gone', 'ed', 'editor') });
    const agent = await fetch(`${b.url}/api/agui/events?session=d_gone`, { headers: await bearer('d_gone', 'agent', 'viewer') });
    const events = agent.body!.getReader();
    expect(new TextDecoder().decode((await events.read()).value)).toContain('STATE_SNAPSHOT');
    const res = await remove(a.url, 'd_gone', await bearer('*', 'owner', 'owner'));
    expect(res.status).toBe(204);
    for (const member of [owner, onA, onB]) expect(await member.closed).toEqual({ code: 4404, reason: 'session deleted by its owner' });
    // The event stream on the other node ends too.
    while (!(await events.read()).done);

    const admin = await bearer('*', 'root', 'admin');
    for (const base of [a.url, b.url]) {
      const gone = await fetch(`${base}/api/sessions/d_gone`, { headers: admin });
      expect([gone.status, ((await gone.json()) as { code: string }).code]).toEqual([404, 'SESSION_NOT_FOUND']);
      expect((await list(base, admin)).ids).not.toContain('d_gone');
    }
    expect((await remove(a.url, 'd_gone', admin)).status).toBe(404);
    const r = redis.client();
    expect(await r.exists('ob:{d_gone}:meta', 'ob:{d_gone}:log', 'ob:{d_gone}:ids')).toBe(0);
    expect(await r.zscore('{ob}:sessions', 'd_gone')).toBeNull();

    // A new session under the same id starts empty, on either node.
    const again = await join(a.ws, 'd_gone', { token: await token('d_gone', 'owner', 'owner') });
    expect(again.frames[0]).toMatchObject({ type: 'WELCOME', data: { seq: 0 } });
    // The old session's invite links open nothing in the new one.
    const stale = await refusal(open(b.ws, 'd_gone', { token: link }));
    expect([stale.status, stale.code]).toEqual([401, 'UNAUTHORIZED']);
    const seen = await join(b.ws, 'd_gone', { token: await token('d_gone', 'fan', 'viewer') });
    expect(seen.frames[0]).toMatchObject({ type: 'WELCOME', data: { seq: 0 } });
    again.close();
    seen.close();
  });

  it('a session stored by a relay from before the index is listed once a node of this version starts', async () => {
    const { redis } = cluster;
    const r = redis.client();
    // What an older relay wrote: the meta hash alone, no index entry, no creator.
    await r.hset('ob:{legacy}:meta', { seq: 0, snap_seq: 0, doc: JSON.stringify(createSession({ id: 'legacy', name: 'From before' })) });
    await r.del('{ob}:sessions:indexed');
    const c = await spawnNode(redis);
    try {
      const admin = await bearer('*', 'root', 'admin');
      const listed = (await list(c.url, admin)).sessions.find((s) => s.id === 'legacy');
      expect(listed).toMatchObject({ name: 'From before', seq: 0, members: 0 });
      // Its creation was never recorded: it counts from when it was indexed.
      expect(Date.now() - Date.parse(listed!.updated_at)).toBeLessThan(10 * 60_000);
      // Deleting it works like any other.
      expect((await remove(c.url, 'legacy', admin)).status).toBe(204);
      expect(await r.exists('ob:{legacy}:meta')).toBe(0);
    } finally {
      await c.stop();
    }
  });

  it('with Redis away, listing and deleting answer 503 ENGINE_ERROR naming the storage, and work again once it is back', async () => {
    const { a, redis } = cluster;
    (await seedSession(a.ws, 'd_outage')).close();
    const admin = await bearer('*', 'root', 'admin');
    await redis.stop();
    try {
      for (const res of [await fetch(`${a.url}/api/sessions`, { headers: admin }), await remove(a.url, 'd_outage', admin)]) {
        const body = (await res.json()) as { code: string; message: string };
        expect([res.status, body.code]).toEqual([503, 'ENGINE_ERROR']);
        expect(body.message).toMatch(/storage/);
      }
    } finally {
      await redis.restart();
    }
    await until(async () => (await fetch(`${a.url}/api/sessions`, { headers: admin })).status === 200, 'the listing back with Redis');
    expect((await list(a.url, admin)).ids).toContain('d_outage');
  });
});
