import { networkInterfaces } from 'node:os';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanup, join, open, refusal, seedSession, startRelay, token, type Client, type Frame, type TestRelay } from './helpers.ts';
import { decodeClaims } from '../../src/sync/jwt.ts';

let relay: TestRelay;
const clients: Client[] = [];

beforeEach(async () => {
  // Access tokens of 4 s: a renewal is due within a test (at half their life, 2 s before the end).
  relay = await startRelay({ OUTBOARD_ACCESS_TOKEN_TTL_S: '4' });
  clients.push(await seedSession(relay.ws, 'inv1'));
});

afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await relay.stop();
  cleanup(relay.dataDir);
});

async function owner(): Promise<Record<string, string>> {
  return { authorization: `Bearer ${await token('inv1', 'owner', 'owner')}`, 'content-type': 'application/json' };
}

async function mint(body: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(`${relay.url}/api/sessions/inv1/invites`, { method: 'POST', headers: await owner(), body: JSON.stringify(body) });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

const HOUR = 3600_000;

describe('invites: lifetime, list, revoke', () => {
  it('an owner chooses 1 hour, 1 day, 1 week or until revoked; the link token ends with it', async () => {
    const before = Date.now();
    const cases = [['1h', HOUR], ['1d', 24 * HOUR], ['1w', 7 * 24 * HOUR]] as const;
    for (const [lifetime, ms] of cases) {
      const { status, json } = await mint({ role: 'editor', lifetime, purpose: 'surface' });
      expect(status).toBe(201);
      expect(json).toMatchObject({ lifetime, role: 'editor', purpose: 'surface', revoked_at: null });
      const expires = Date.parse(json.expires_at as string);
      expect(expires - before).toBeGreaterThanOrEqual(ms - 1000);
      expect(expires - Date.now()).toBeLessThanOrEqual(ms);
      expect(decodeClaims(json.token as string)!.exp * 1000).toBeLessThanOrEqual(expires);
    }
    const forever = await mint({ lifetime: 'until_revoked' });
    // An invite that does not say what it is for is for a collaborator's own device; its link says so.
    expect(forever.json).toMatchObject({ lifetime: 'until_revoked', expires_at: null, role: 'editor', purpose: 'device' });
    expect(forever.json.url).toContain('purpose=device');
    const guest = await join(relay.ws, 'inv1', { token: forever.json.token as string });
    clients.push(guest);
    expect(guest.frames[0]).toMatchObject({ type: 'WELCOME', data: { role: 'editor' } });
  });

  it('a POST with no body at all mints the documented defaults (editor, 1 day, device); a body that is not JSON is still refused', async () => {
    const bare = await fetch(`${relay.url}/api/sessions/inv1/invites`, { method: 'POST', headers: { authorization: (await owner()).authorization! } });
    expect(bare.status).toBe(201);
    expect(await bare.json()).toMatchObject({ role: 'editor', lifetime: '1d', purpose: 'device', token: expect.any(String) });
    const broken = await fetch(`${relay.url}/api/sessions/inv1/invites`, { method: 'POST', headers: await owner(), body: '{' });
    expect(broken.status).toBe(400);
    expect(await broken.json()).toMatchObject({ code: 'INVALID_MESSAGE', message: 'body is not valid JSON' });
  });

  it('refuses a lifetime, role or purpose it does not know, naming the field, and mints nothing', async () => {
    for (const [body, field] of [[{ lifetime: '2d' }, 'lifetime'], [{ role: 'admin' }, 'role'], [{ purpose: 'spy' }, 'purpose'], [{ ttl: 5 }, 'body']] as const) {
      const { status, json } = await mint(body);
      expect(status).toBe(400);
      expect(json).toMatchObject({ code: 'INVALID_MESSAGE' });
      expect(String(json.message)).toContain(field === 'body' ? 'lifetime is one of' : field);
    }
    const list = await fetch(`${relay.url}/api/sessions/inv1/invites`, { headers: await owner() });
    expect(((await list.json()) as { invites: unknown[] }).invites).toEqual([]);
  });

  it('lists a session\'s invites for its owner only, newest first, without their tokens', async () => {
    const a = (await mint({ lifetime: '1h' })).json;
    const b = (await mint({ lifetime: '1w', role: 'viewer' })).json;
    const res = await fetch(`${relay.url}/api/sessions/inv1/invites`, { headers: await owner() });
    expect(res.status).toBe(200);
    const { invites } = (await res.json()) as { invites: Record<string, unknown>[] };
    expect(invites.map((i) => i.id)).toEqual([b.id, a.id]);
    for (const i of invites) expect(i).not.toHaveProperty('token');
    const editor = await fetch(`${relay.url}/api/sessions/inv1/invites`, { headers: { authorization: `Bearer ${await token('inv1', 'ed', 'editor')}` } });
    expect(editor.status).toBe(403);
  });

  it('a revoked invite closes its devices\' sockets with the reason, and its link no longer opens one', async () => {
    const invite = (await mint({ lifetime: 'until_revoked' })).json;
    const other = (await mint({ lifetime: '1d' })).json;
    const tablet = await join(relay.ws, 'inv1', { token: invite.token as string });
    const bandmate = await join(relay.ws, 'inv1', { token: other.token as string });
    clients.push(tablet, bandmate);
    const res = await fetch(`${relay.url}/api/sessions/inv1/invites/${String(invite.id)}`, { method: 'DELETE', headers: await owner() });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { revoked_at: string | null }).revoked_at).not.toBeNull();
    expect(await tablet.closed).toEqual({ code: 4403, reason: 'the owner revoked this invite' });
    const again = await refusal(open(relay.ws, 'inv1', { token: invite.token as string }));
    expect([again.status, again.code]).toEqual([401, 'UNAUTHORIZED']);
    expect(again.message).toContain('revoked');
    // The other invite's device is untouched.
    bandmate.send({ id: 'still_here', type: 'UPDATE_SESSION', session_id: 'inv1', data: { changes: { tempo_bpm: 101 } } });
    expect((await bandmate.answer('still_here')).type).toBe('ack');
    const missing = await fetch(`${relay.url}/api/sessions/inv1/invites/inv_nope`, { method: 'DELETE', headers: await owner() });
    expect(missing.status).toBe(404);
  });

  it('a revocation outlives a restart of the relay', async () => {
    const invite = (await mint({ lifetime: '1w' })).json;
    await fetch(`${relay.url}/api/sessions/inv1/invites/${String(invite.id)}`, { method: 'DELETE', headers: await owner() });
    for (const c of clients.splice(0)) c.close();
    const port = new URL(relay.url).port;
    await relay.stop();
    relay = await startRelay({ PORT: port }, relay.dataDir);
    expect((await refusal(open(relay.ws, 'inv1', { token: invite.token as string }))).status).toBe(401);
  });
});

describe('access tokens renewed over the socket', () => {
  const tokens = (c: Client): Frame[] => c.frames.filter((f) => f.type === 'TOKEN');

  it('a connected device gets a short-lived token at once and a fresh one before it expires; the socket outlives both', async () => {
    const invite = (await mint({ lifetime: '1d' })).json;
    const tablet = await join(relay.ws, 'inv1', { token: invite.token as string });
    clients.push(tablet);
    const first = await tablet.next((f) => f.type === 'TOKEN');
    const claims = decodeClaims((first.data as { token: string }).token)!;
    expect(claims).toMatchObject({ sub: invite.user, sid: 'inv1', role: 'editor' });
    expect(claims.exp * 1000 - Date.now()).toBeLessThanOrEqual(4000);
    await tablet.next((f) => f.type === 'TOKEN' && f !== first, 8000);
    // Past the first access token's end, the socket still works.
    await new Promise((r) => setTimeout(r, Math.max(0, claims.exp * 1000 + 200 - Date.now())));
    tablet.send({ id: 'after_renewal', type: 'UPDATE_SESSION', session_id: 'inv1', data: { changes: { tempo_bpm: 99 } } });
    expect((await tablet.answer('after_renewal')).type).toBe('ack');
    expect(tokens(tablet).length).toBeGreaterThanOrEqual(2);
  });

  it('an access token works to rejoin after the socket is gone, within the invite', async () => {
    const invite = (await mint({ lifetime: '1h' })).json;
    const tablet = await join(relay.ws, 'inv1', { token: invite.token as string });
    const access = ((await tablet.next((f) => f.type === 'TOKEN')).data as { token: string }).token;
    tablet.close();
    const back = await join(relay.ws, 'inv1', { token: access });
    clients.push(back);
    expect(back.frames[0]).toMatchObject({ type: 'WELCOME', data: { role: 'editor' } });
  });

  it('tokens not minted for an invite (the admin URL, the CLI) are never renewed', async () => {
    const laptop = await join(relay.ws, 'inv1', { token: await token('inv1', 'ana', 'owner') });
    clients.push(laptop);
    laptop.send({ id: 'x1', type: 'UPDATE_SESSION', session_id: 'inv1', data: { changes: { tempo_bpm: 98 } } });
    await laptop.answer('x1');
    expect(tokens(laptop)).toEqual([]);
  });
});

describe('links another device can open', () => {
  it('a link made through 127.0.0.1 carries the name, and says no LAN address is there when the relay listens on loopback only', async () => {
    const { status, json } = await mint({ lifetime: '1h', name: 'Tablet' });
    expect(status).toBe(201);
    const url = new URL(json.url as string);
    expect(url.hostname).toBe('127.0.0.1');
    expect(url.searchParams.get('name')).toBe('Tablet');
    expect(json.lan_urls).toEqual([]);
    const long = await mint({ name: 'x'.repeat(41) });
    expect(long.status).toBe(400);
    expect(String(long.json.message)).toContain('name');
  });

  it('a relay listening on every interface offers the same link on each of its LAN addresses', async () => {
    const wide = await startRelay({ HOST: '0.0.0.0' });
    try {
      clients.push(await seedSession(wide.ws, 'inv2'));
      const port = new URL(wide.url).port;
      const res = await fetch(`http://127.0.0.1:${port}/api/sessions/inv2/invites`, {
        method: 'POST', headers: { authorization: `Bearer ${await token('inv2', 'owner', 'owner')}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'Sam' }),
      });
      const json = (await res.json()) as { url: string; lan_urls: string[] };
      const addresses = Object.values(networkInterfaces()).flatMap((l) => l ?? []).filter((a) => a.family === 'IPv4' && !a.internal).map((a) => a.address);
      expect(json.lan_urls.map((u) => new URL(u).hostname)).toEqual(addresses);
      // Each is the relay's own link with only the host changed (no request is sent to them: tests stay on loopback).
      for (const u of json.lan_urls) expect(new URL(u).search).toBe(new URL(json.url).search);
    } finally {
      await wide.stop();
      cleanup(wide.dataDir);
    }
  });
});
