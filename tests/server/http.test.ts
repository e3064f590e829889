/**
 * The HTTP routes of SPEC §6 on a real relay: health, admin, catalog,
 * sessions (read, publish, ops, invites), the AG-UI stream with resume, and
 * the built app with cross-origin isolation.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join as pathJoin } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { EventSchemas, StateDeltaEventSchema, StateSnapshotEventSchema } from '@ag-ui/core/schemas';
import jsonPatch, { type Operation } from 'fast-json-patch';
import { describe, expect, it, vi } from 'vitest';
import { cleanup, join, param, seedSession, startRelay, stored, token, useRelay } from './helpers.ts';

const relay = useRelay();

const auth = async (session: string, role: 'admin' | 'owner' | 'editor' | 'viewer', user: string = role) => ({ Authorization: `Bearer ${await token(session, user, role)}` });

describe('health, admin, catalog', () => {
  it('GET /health answers status, version, uptime, counts, storage', async () => {
    const res = await fetch(`${relay.current.url}/health`);
    expect(res.status).toBe(200);
    expect(res.headers.get('cross-origin-opener-policy')).toBe('same-origin');
    expect(await res.json()).toMatchObject({ status: 'ok', version: expect.any(String), uptime_s: expect.any(Number), connections: 0, sessions: expect.any(Number), storage: 'ok' });
  });

  it('GET /admin/websocket-security needs an admin', async () => {
    expect((await fetch(`${relay.current.url}/admin/websocket-security`)).status).toBe(401);
    const owner = await fetch(`${relay.current.url}/admin/websocket-security`, { headers: await auth('*', 'owner') });
    expect(owner.status).toBe(403);
    expect(await owner.json()).toMatchObject({ code: 'FORBIDDEN', message: expect.stringContaining('admin role') });
    // An admin of one session (or an owner of one) is told the route needs sid "*", not that the token is "for another session".
    for (const role of ['admin', 'owner'] as const) {
      const scoped = await fetch(`${relay.current.url}/admin/websocket-security`, { headers: await auth('h1', role) });
      expect(scoped.status).toBe(403);
      expect(await scoped.json()).toMatchObject({ code: 'FORBIDDEN', message: expect.stringContaining('sid "*"') });
    }
    const res = await fetch(`${relay.current.url}/admin/websocket-security`, { headers: await auth('*', 'admin') });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      connections: { total: expect.any(Number), per_ip: expect.any(Object) },
      limits: { max_connections: 1000, max_connections_per_ip: 10, max_messages_per_second: 100, max_message_bytes: 65536 },
      blocked: [], rejections: expect.any(Object), messages: expect.any(Object),
    });
  });

  it('GET /api/plugins and /api/plugins/:type; an unknown type is 404 PLUGIN_NOT_FOUND', async () => {
    const all = (await (await fetch(`${relay.current.url}/api/plugins`)).json()) as { id: string }[];
    expect(all.map((p) => p.id)).toContain('filter');
    expect(await (await fetch(`${relay.current.url}/api/plugins/filter`)).json()).toMatchObject({ id: 'filter', kind: 'effect' });
    const missing = await fetch(`${relay.current.url}/api/plugins/constructor`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ code: 'PLUGIN_NOT_FOUND' });
  });
});

describe('sessions over HTTP', () => {
  it('GET needs a member of that session; a missing session is 404 SESSION_NOT_FOUND', async () => {
    (await seedSession(relay.current.ws, 'h1')).close();
    expect((await fetch(`${relay.current.url}/api/sessions/h1`)).status).toBe(401);
    expect((await fetch(`${relay.current.url}/api/sessions/h1`, { headers: await auth('h2', 'owner') })).status).toBe(403);
    const res = await fetch(`${relay.current.url}/api/sessions/h1`, { headers: await auth('h1', 'viewer') });
    expect(await res.json()).toMatchObject({ seq: 2, document: { id: 'h1', tracks: [{ id: 't1' }] } });
    const missing = await fetch(`${relay.current.url}/api/sessions/nothing`, { headers: await auth('*', 'admin') });
    expect([missing.status, ((await missing.json()) as { code: string }).code]).toEqual([404, 'SESSION_NOT_FOUND']);
  });

  it('a plain HTTP request to /ws (no upgrade) is 426 saying it needs a WebSocket upgrade, not "no route"', async () => {
    const res = await fetch(`${relay.current.url}/ws?session=h1`, { headers: await auth('*', 'admin') });
    expect(res.status).toBe(426);
    expect(await res.json()).toMatchObject({ code: 'INVALID_MESSAGE', message: expect.stringContaining('Upgrade: websocket') });
  });

  it('a path with a bad %-escape is 400 INVALID_MESSAGE naming the path, never a 500', async () => {
    const admin = await auth('*', 'admin');
    for (const [method, path] of [
      ['GET', '/api/sessions/%E0%A4%A'], ['DELETE', '/api/sessions/%E0%A4%A'], ['GET', '/api/plugins/%E0%A4%A'], ['DELETE', '/api/sessions/h1/invites/%ZZ'],
    ] as const) {
      const res = await fetch(`${relay.current.url}${path}`, { method, headers: admin });
      expect(res.status, `${method} ${path}`).toBe(400);
      expect(await res.json()).toMatchObject({ code: 'INVALID_MESSAGE', field: 'path', message: expect.stringContaining('%-escape') });
    }
  });

  it('POST /ops applies one op for an editor, answers the ack once durable; members see it', async () => {
    const member = await join(relay.current.ws, 'h1', { token: await token('h1', 'laptop', 'viewer') });
    const res = await fetch(`${relay.current.url}/api/sessions/h1/ops`, { method: 'POST', headers: await auth('h1', 'editor', 'script'), body: JSON.stringify({ id: 'http_1', type: 'PLUGIN_PARAMETER', data: { track_id: 't1', plugin_id: 'p1', parameter_id: 'cutoff', parameter_value: 880 } }) });
    expect(await res.json()).toEqual({ type: 'ack', id: 'http_1', seq: 3 });
    expect(await member.next((f) => f.id === 'http_1')).toMatchObject({ seq: 3, data: { changed_by: 'script', parameter_value: 880 } });
    const bad = await fetch(`${relay.current.url}/api/sessions/h1/ops`, { method: 'POST', headers: await auth('h1', 'editor'), body: JSON.stringify({ id: 'http_2', type: 'REMOVE_PLUGIN', data: { track_id: 't1', plugin_id: 'zz' } }) });
    expect(bad.status).toBe(422);
    expect(await bad.json()).toMatchObject({ type: 'error', id: 'http_2', data: { code: 'PLUGIN_NOT_FOUND' } });
    member.close();
  });

  it('PUT publishes a session made offline (owner only) and merges it like ops', async () => {
    const doc = {
      format: 'outboard.session/1', id: 'offline', name: 'Made on a train', tempo_bpm: 96,
      tracks: [{ id: 'bass', name: 'Bass', chain: [{ id: 'g1', type: 'gain', params: { gain_db: -3 } }] }],
    };
    const put = (headers: Record<string, string>, body: unknown, id = 'offline') => fetch(`${relay.current.url}/api/sessions/${id}`, { method: 'PUT', headers, body: JSON.stringify(body) });
    expect((await put(await auth('offline', 'editor'), doc)).status).toBe(403);
    expect((await put(await auth('*', 'admin'), doc, 'other')).status).toBe(400);
    expect((await put(await auth('offline', 'owner'), { ...doc, tempo_bpm: 'fast' })).status).toBe(400);
    const res = await put(await auth('offline', 'owner'), doc);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { seq: number; document: { name: string; tempo_bpm: number; tracks: { id: string; chain: { params: Record<string, number> }[] }[] } };
    expect(body.seq).toBeGreaterThan(0);
    expect(body.document).toMatchObject({ name: 'Made on a train', tempo_bpm: 96, tracks: [{ id: 'bass', chain: [{ params: { gain_db: -3 } }] }] });
    expect((await stored(relay.current.url, 'offline')).document).toEqual(body.document);
    // Publishing a document with its clocks (as the app saves it) again changes nothing.
    const again = (await (await put(await auth('offline', 'owner'), body.document)).json()) as { seq: number };
    expect(again.seq).toBe(body.seq);
  });

  it('POST /invites mints a token and a URL that opens the app in the session', async () => {
    expect((await fetch(`${relay.current.url}/api/sessions/h1/invites`, { method: 'POST', headers: await auth('h1', 'editor'), body: '{}' })).status).toBe(403);
    const res = await fetch(`${relay.current.url}/api/sessions/h1/invites`, { method: 'POST', headers: await auth('h1', 'owner'), body: JSON.stringify({ role: 'editor', lifetime: '1h' }) });
    expect(res.status).toBe(201);
    const invite = (await res.json()) as { token: string; url: string; role: string };
    const link = new URL(invite.url);
    expect(`${link.origin}${link.pathname}`).toBe(`${relay.current.url}/`);
    expect(link.searchParams.get('session')).toBe('h1');
    expect(link.searchParams.get('token')).toBe(invite.token);
    const guest = await join(relay.current.ws, 'h1', { token: invite.token });
    expect(guest.frames[0]).toMatchObject({ type: 'WELCOME', data: { role: 'editor' } });
    guest.close();
  });
});

interface SseEvent { id: string; data: Record<string, unknown> }

/** Reads SSE events from a streaming response until `count` arrived. */
async function readEvents(res: Response, count: number): Promise<SseEvent[]> {
  const reader = res.body!.getReader();
  const events: SseEvent[] = [];
  let buffer = '';
  while (events.length < count) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += new TextDecoder().decode(value);
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const id = /^id: (.*)$/m.exec(block)?.[1];
      const data = /^data: (.*)$/m.exec(block)?.[1];
      if (id !== undefined && data !== undefined) events.push({ id, data: JSON.parse(data) as Record<string, unknown> });
    }
  }
  await reader.cancel();
  return events;
}

describe('the AG-UI event stream', () => {
  it('STATE_SNAPSHOT then a STATE_DELTA per op, valid AG-UI events, id = seq; Last-Event-ID resumes', async () => {
    const owner = await seedSession(relay.current.ws, 'agent');
    const headers = await auth('agent', 'viewer', 'bot');
    const controller = new AbortController();
    const res = await fetch(`${relay.current.url}/api/agui/events?session=agent`, { headers, signal: controller.signal });
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const reading = readEvents(res, 3);
    await new Promise((r) => setTimeout(r, 100));
    owner.send(param('ag1', 'agent', 500));
    owner.send({ id: 'ag2', type: 'UPDATE_SESSION', session_id: 'agent', data: { changes: { tempo_bpm: 140 } } });
    const events = await reading;
    controller.abort();
    expect(events.map((e) => [e.id, e.data.type])).toEqual([['2', 'STATE_SNAPSHOT'], ['3', 'STATE_DELTA'], ['4', 'STATE_DELTA']]);
    expect(StateSnapshotEventSchema.safeParse(events[0]!.data).success).toBe(true);
    for (const e of events) expect(EventSchemas.safeParse(e.data).success).toBe(true);
    expect(StateDeltaEventSchema.safeParse(events[1]!.data).success).toBe(true);
    // Snapshot + deltas = the relay's document.
    let doc = events[0]!.data.snapshot as object;
    for (const e of events.slice(1)) doc = jsonPatch.applyPatch(structuredClone(doc), e.data.delta as Operation[]).newDocument;
    expect(doc).toEqual((await stored(relay.current.url, 'agent')).document);

    // An agent that saw up to seq 3 comes back: only the delta for 4, then new ones.
    const resume = new AbortController();
    const back = await fetch(`${relay.current.url}/api/agui/events?session=agent`, { headers: { ...headers, 'Last-Event-ID': '3' }, signal: resume.signal });
    const more = readEvents(back, 2);
    await new Promise((r) => setTimeout(r, 100));
    owner.send(param('ag3', 'agent', 700));
    const resumed = await more;
    resume.abort();
    expect(resumed.map((e) => [e.id, e.data.type])).toEqual([['4', 'STATE_DELTA'], ['5', 'STATE_DELTA']]);
    owner.close();
  });

  it('a session once watched is unloaded after its last stream ends, like after its last socket (the delta history does not pin it)', async () => {
    const t = await startRelay();
    try {
      (await seedSession(t.ws, 'watched')).close();
      const controller = new AbortController();
      const res = await fetch(`${t.url}/api/agui/events?session=watched`, { headers: await auth('watched', 'viewer', 'bot'), signal: controller.signal });
      expect((await readEvents(res, 1))[0]!.data.type).toBe('STATE_SNAPSHOT');
      controller.abort();
      const loaded = async () => ((await (await fetch(`${t.url}/health`)).json()) as { sessions: number }).sessions;
      // Unloaded after the registry's idle grace (30 s), as a session whose last member left is.
      await vi.waitFor(async () => expect(await loaded()).toBe(0), { timeout: 45_000, interval: 500 });
    } finally {
      await t.stop();
      cleanup(t.dataDir);
    }
  }, 60_000);

  it('needs a member token', async () => {
    expect((await fetch(`${relay.current.url}/api/agui/events?session=agent`)).status).toBe(401);
    expect((await fetch(`${relay.current.url}/api/agui/events?session=agent`, { headers: await auth('h1', 'viewer') })).status).toBe(403);
  });
});

describe('the built app', () => {
  it('before the app is built, a page says so', async () => {
    const res = await fetch(`${relay.current.url}/`);
    expect(res.status).toBe(503);
    expect(await res.text()).toMatch(/not built/);
  });

  it('serves dist/ with COOP/COEP, application/wasm, compression and an SPA fallback', async () => {
    const dist = pathJoin(relay.current.dataDir, 'dist');
    mkdirSync(pathJoin(dist, 'assets'), { recursive: true });
    writeFileSync(pathJoin(dist, 'index.html'), '<!doctype html><title>Outboard</title>');
    const js = `console.log(${JSON.stringify('x'.repeat(4000))});`;
    writeFileSync(pathJoin(dist, 'assets', 'index-abcdef12.js'), js);
    writeFileSync(pathJoin(dist, 'engine.wasm'), Buffer.from([0, 97, 115, 109, 1, 0, 0, 0]));

    const home = await fetch(`${relay.current.url}/`);
    expect(home.status).toBe(200);
    expect(home.headers.get('cross-origin-opener-policy')).toBe('same-origin');
    expect(home.headers.get('cross-origin-embedder-policy')).toBe('require-corp');
    expect(await home.text()).toMatch(/Outboard/);

    const wasm = await fetch(`${relay.current.url}/engine.wasm`);
    expect(wasm.headers.get('content-type')).toBe('application/wasm');

    const raw = await new Promise<{ headers: Record<string, string | string[] | undefined>; body: Buffer }>((resolve, reject) => {
      import('node:http').then(({ get }) => get(`${relay.current.url}/assets/index-abcdef12.js`, { headers: { 'Accept-Encoding': 'gzip' } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
      }).on('error', reject), reject);
    });
    expect(raw.headers['content-encoding']).toBe('gzip');
    expect(raw.headers['cache-control']).toMatch(/immutable/);
    expect(gunzipSync(raw.body).toString()).toBe(js);

    const deep = await fetch(`${relay.current.url}/sessions/abc`);
    expect([deep.status, await deep.text()]).toEqual([200, '<!doctype html><title>Outboard</title>']);
    expect((await fetch(`${relay.current.url}/missing.js`)).status).toBe(404);
    expect((await fetch(`${relay.current.url}/..%2f..%2fetc%2fpasswd`)).status).toBe(404);
  });
});

describe('storage down', () => {
  it('/health answers 503 when SQLite cannot answer', async () => {
    const own = await startRelay();
    await own.relay.store.close();
    const res = await fetch(`${own.url}/health`);
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ status: 'error', storage: 'down' });
    await own.stop();
    cleanup(own.dataDir);
  });

  it('an op that cannot be stored is refused with ENGINE_ERROR, never acked; the socket closes with 1011', async () => {
    const own = await startRelay();
    const c = await seedSession(own.ws, 'disk');
    await own.relay.store.close();
    c.send(param('lost', 'disk', 123));
    expect(await c.answer('lost')).toMatchObject({ type: 'error', id: 'lost', data: { code: 'ENGINE_ERROR' } });
    expect((await c.closed).code).toBe(1011);
    await own.stop();
    cleanup(own.dataDir);
  });
});
