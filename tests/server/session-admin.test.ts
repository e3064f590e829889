/**
 * The operator's session routes on a real relay: who lists which sessions,
 * and deleting one — its members closed with the reason, its data gone, the
 * id free again; an editor or viewer cannot, and nothing changes.
 */
import Database from 'better-sqlite3';
import { join as pathJoin } from 'node:path';
import { describe, expect, it } from 'vitest';
import { join, open, param, refusal, seedSession, stored, token, useRelay } from './helpers.ts';
import { bearer, invite, list as listOn, remove as removeOn } from './session-admin-helpers.ts';

const relay = useRelay();
const list = (headers?: Record<string, string>) => listOn(relay.current.url, headers);
const remove = (session: string, headers: Record<string, string>) => removeOn(relay.current.url, session, headers);

describe('GET /api/sessions', () => {
  it('an admin sees every session, an owner the ones they created or their token names; each with seq, size, members, last change', async () => {
    const alice = await seedSession(relay.current.ws, 'l_alice', 'alice');
    (await seedSession(relay.current.ws, 'l_bob', 'bob')).close();

    const admin = await list(await bearer('*', 'root', 'admin'));
    expect(admin.status).toBe(200);
    expect(admin.ids).toEqual(expect.arrayContaining(['l_alice', 'l_bob']));
    const entry = admin.sessions.find((s) => s.id === 'l_alice');
    expect(entry).toMatchObject({ name: 'Untitled session', seq: 2, members: 1 });
    expect(entry!.size_bytes).toBeGreaterThan(0);
    expect(Date.now() - Date.parse(entry!.updated_at)).toBeLessThan(10 * 60_000);

    expect((await list(await bearer('*', 'alice', 'owner'))).ids).toEqual(['l_alice']);
    expect((await list(await bearer('l_bob', 'carol', 'owner'))).ids).toEqual(['l_bob']);
    expect((await list(await bearer('l_bob', 'carol', 'editor'))).status).toBe(403);
    expect((await list()).status).toBe(401);
    alice.close();
  });
});

describe('DELETE /api/sessions/:id', () => {
  it('an editor or viewer gets 403 and nothing changes', async () => {
    const owner = await seedSession(relay.current.ws, 'd_keep');
    const before = await stored(relay.current.url, 'd_keep');
    for (const role of ['editor', 'viewer'] as const) {
      const res = await remove('d_keep', await bearer('d_keep', role, role));
      expect([res.status, ((await res.json()) as { code: string }).code]).toEqual([403, 'FORBIDDEN']);
    }
    // An owner of every session deletes only the sessions its user created.
    expect((await remove('d_keep', await bearer('*', 'mallory', 'owner'))).status).toBe(403);
    expect(await stored(relay.current.url, 'd_keep')).toEqual(before);
    owner.send(param('still_here', 'd_keep', 440));
    expect(await owner.answer('still_here')).toMatchObject({ type: 'ack', seq: before.seq + 1 });
    owner.close();
  });

  it('closes every member with the reason, removes snapshot, log and invites, answers 204; GET is then 404 and the id is free', async () => {
    const owner = await seedSession(relay.current.ws, 'd_gone');
    const link = await invite(relay.current.url, 'd_gone');
    const viewer = await join(relay.current.ws, 'd_gone', { token: await token('d_gone', 'fan', 'viewer') });
    const agent = await fetch(`${relay.current.url}/api/agui/events?session=d_gone`, { headers: await bearer('d_gone', 'agent', 'viewer') });
    const events = agent.body!.getReader();
    expect(new TextDecoder().decode((await events.read()).value)).toContain('STATE_SNAPSHOT');
    const res = await remove('d_gone', await bearer('d_gone', 'owner', 'owner'));
    expect(res.status).toBe(204);
    for (const member of [owner, viewer]) expect(await member.closed).toEqual({ code: 4404, reason: 'session deleted by its owner' });
    // The event stream ends too.
    while (!(await events.read()).done);

    const admin = await bearer('*', 'root', 'admin');
    const gone = await fetch(`${relay.current.url}/api/sessions/d_gone`, { headers: admin });
    expect([gone.status, ((await gone.json()) as { code: string }).code]).toEqual([404, 'SESSION_NOT_FOUND']);
    expect((await list(admin)).ids).not.toContain('d_gone');
    expect((await remove('d_gone', admin)).status).toBe(404);
    const db = new Database(pathJoin(relay.current.dataDir, 'outboard.sqlite'), { readonly: true });
    const rows = db.prepare('SELECT (SELECT count(*) FROM ops WHERE session_id = ?) + (SELECT count(*) FROM sessions WHERE id = ?) AS n').get('d_gone', 'd_gone') as { n: number };
    db.close();
    expect(rows.n).toBe(0);

    // A new session under the same id starts empty.
    const again = await join(relay.current.ws, 'd_gone', { token: await token('d_gone', 'owner', 'owner') });
    expect(again.frames[0]).toMatchObject({ type: 'WELCOME', data: { seq: 0 } });
    // The old session's invite links open nothing in the new one.
    const stale = await refusal(open(relay.current.ws, 'd_gone', { token: link }));
    expect([stale.status, stale.code]).toEqual([401, 'UNAUTHORIZED']);
    again.close();
  });
});
