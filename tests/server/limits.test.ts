/**
 * Limits of SPEC §7 on a real relay: message rate, IP blocking and their
 * expiry, connections per IP, heartbeat, and 1000 members held at once —
 * with the per-IP limit in force, so clients come from 100 loopback addresses.
 */
import { describe, expect, it } from 'vitest';
import { cleanup, join, open, param, refusal, seedSession, startRelay, token, type Client } from './helpers.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('message rate', () => {
  it('past the per-connection rate, messages are refused with RATE_LIMITED; a second later they pass again', async () => {
    const t = await startRelay({ OUTBOARD_MAX_MESSAGES_PER_SECOND: '20' });
    try {
      const c = await seedSession(t.ws, 'rate');
      await sleep(1100);
      for (let i = 0; i < 40; i++) c.send(param(`r_${i}`, 'rate', 100 + i));
      const answers = await Promise.all(Array.from({ length: 40 }, (_, i) => c.answer(`r_${i}`)));
      const limited = answers.filter((a) => a.type === 'error');
      expect(answers.filter((a) => a.type === 'ack').length).toBe(20);
      expect(limited.length).toBe(20);
      expect(limited[0]?.data).toMatchObject({ code: 'RATE_LIMITED' });
      await sleep(1100);
      c.send(param('after', 'rate', 999));
      expect(await c.answer('after')).toMatchObject({ type: 'ack' });
      c.close();
    } finally {
      await t.stop();
      cleanup(t.dataDir);
    }
  });

  it('a BATCH counts as one message: four faders at 60 Hz fit in 100 messages/s', async () => {
    const t = await startRelay();
    try {
      const c = await seedSession(t.ws, 'faders');
      await sleep(1100);
      for (let frame = 0; frame < 60; frame++) {
        const ops = ['cutoff', 'q', 'cutoff', 'q'].map((p, i) => ({
          id: `f${frame}_${i}`, type: 'PLUGIN_PARAMETER', data: { track_id: 't1', plugin_id: 'p1', parameter_id: p, parameter_value: p === 'q' ? 1 + frame / 100 : 200 + frame },
        }));
        c.send({ id: `frame_${frame}`, type: 'BATCH', session_id: 'faders', data: { ops } });
        await sleep(1000 / 60);
      }
      const answers = await Promise.all(Array.from({ length: 60 }, (_, i) => c.answer(`frame_${i}`)));
      expect(answers.every((a) => a.type === 'ack')).toBe(true);
      c.close();
    } finally {
      await t.stop();
      cleanup(t.dataDir);
    }
  });
});

describe('IP blocking', () => {
  it('repeated auth failures block the address, only that address, until the block expires', async () => {
    const t = await startRelay({ OUTBOARD_BLOCK_THRESHOLD: '5', OUTBOARD_BLOCK_WINDOW_MS: '5000', OUTBOARD_BLOCK_DURATION_MS: '1500' });
    try {
      (await seedSession(t.ws, 'guarded')).close();
      const attacker = { localAddress: '127.0.0.5' };
      for (let i = 0; i < 5; i++) {
        const r = await refusal(open(t.ws, 'guarded', { ...attacker, token: 'not.a.jwt' }));
        expect(r.status).toBe(401);
      }
      const good = await token('guarded', 'ed', 'editor');
      const blocked = await refusal(open(t.ws, 'guarded', { ...attacker, token: good }));
      expect([blocked.status, blocked.code]).toEqual([429, 'RATE_LIMITED']);
      // Someone else is unaffected.
      (await join(t.ws, 'guarded', { localAddress: '127.0.0.6', token: good })).close();
      const admin = await fetch(`${t.url}/admin/websocket-security`, { headers: { Authorization: `Bearer ${await token('*', 'root', 'admin')}` } });
      const view = (await admin.json()) as { blocked: { ip: string; reason: string; expires_at: string }[]; rejections: Record<string, number> };
      expect(view.blocked).toHaveLength(1);
      expect(view.blocked[0]).toMatchObject({ ip: '127.0.0.5' });
      expect(view.blocked[0]?.reason).toMatch(/auth failures/);
      expect(view.rejections.unauthorized).toBe(5);
      await sleep(1600);
      (await join(t.ws, 'guarded', { ...attacker, token: good })).close();
    } finally {
      await t.stop();
      cleanup(t.dataDir);
    }
  });

  it('protocol violations count too', async () => {
    const t = await startRelay({ OUTBOARD_BLOCK_THRESHOLD: '3', OUTBOARD_BLOCK_DURATION_MS: '60000' });
    try {
      (await seedSession(t.ws, 'noisy')).close();
      const c = await join(t.ws, 'noisy', { localAddress: '127.0.0.7', token: await token('noisy', 'x', 'editor') });
      for (let i = 0; i < 3; i++) c.send('not json');
      await c.next((f) => c.frames.filter((g) => g.type === 'error').length >= 3 && f.type === 'error');
      const r = await refusal(open(t.ws, 'noisy', { localAddress: '127.0.0.7', token: await token('noisy', 'x', 'editor') }));
      expect(r.status).toBe(429);
      c.close();
    } finally {
      await t.stop();
      cleanup(t.dataDir);
    }
  });

  it('a scraper with the wrong metrics token gets its address blocked, and the 429 says until when (message, retry_after_s, Retry-After)', async () => {
    const t = await startRelay({ OUTBOARD_METRICS_TOKEN: 'the-right-one', OUTBOARD_BLOCK_THRESHOLD: '3', OUTBOARD_BLOCK_DURATION_MS: '60000' });
    try {
      (await seedSession(t.ws, 'scraped')).close();
      const scrape = () => fetch(`${t.url}/metrics`, { headers: { Authorization: 'Bearer a-stale-one' } });
      for (let i = 0; i < 3; i++) expect((await scrape()).status).toBe(401);
      const blocked = await scrape();
      expect(blocked.status).toBe(429);
      const body = (await blocked.json()) as { code: string; message: string; retry_after_s: number };
      expect(body.code).toBe('RATE_LIMITED');
      expect(body.message).toMatch(/blocked until \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z \(\d+ s from now\)/);
      const until = Date.parse(/until (\S+)/.exec(body.message)![1]!);
      expect(until).toBeGreaterThan(Date.now());
      expect(until).toBeLessThanOrEqual(Date.now() + 60_000);
      expect(body.retry_after_s).toBeGreaterThan(0);
      expect(body.retry_after_s).toBeLessThanOrEqual(60);
      expect(blocked.headers.get('retry-after')).toBe(String(body.retry_after_s));
      // The same address's socket is refused with the same answer.
      const refused = await refusal(open(t.ws, 'scraped', { token: await token('scraped', 'owner', 'owner') }));
      expect(refused.status).toBe(429);
      const wsBody = JSON.parse(refused.message.slice(refused.message.indexOf('{'))) as { message: string; retry_after_s: number };
      expect(wsBody.message).toMatch(/blocked until \d{4}-.*Z \(\d+ s from now\)/);
      expect(wsBody.retry_after_s).toBeGreaterThan(0);
    } finally {
      await t.stop();
      cleanup(t.dataDir);
    }
  });
});

describe('connections', () => {
  it('an 11th connection from one address is refused with 429', async () => {
    const t = await startRelay();
    try {
      const jwt = await token('busy', 'o', 'owner');
      const ten: Client[] = [];
      for (let i = 0; i < 10; i++) ten.push(await join(t.ws, 'busy', { localAddress: '127.0.0.9', token: jwt }));
      const r = await refusal(open(t.ws, 'busy', { localAddress: '127.0.0.9', token: jwt }));
      expect([r.status, r.code]).toEqual([429, 'RATE_LIMITED']);
      ten.pop()?.close();
      await sleep(100);
      ten.push(await join(t.ws, 'busy', { localAddress: '127.0.0.9', token: jwt }));
      for (const c of ten) c.close();
    } finally {
      await t.stop();
      cleanup(t.dataDir);
    }
  });

  it('a peer that stops answering pings is dropped', async () => {
    const t = await startRelay({ OUTBOARD_PING_INTERVAL_MS: '100' });
    try {
      const silent = await join(t.ws, 'ping', { token: await token('ping', 'o', 'owner'), autoPong: false });
      const lively = await join(t.ws, 'ping', { token: await token('ping', 'p', 'owner') });
      expect((await silent.closed).code).toBe(1006);
      expect(lively.socket.readyState).toBe(lively.socket.OPEN);
      lively.close();
    } finally {
      await t.stop();
      cleanup(t.dataDir);
    }
  });

  it('1000 members held at once, 10 per address, each receives a broadcast; the 1001st is refused', async () => {
    const t = await startRelay();
    try {
      const owner = await seedSession(t.ws, 'crowd');
      const jwt = await token('crowd', 'listener', 'viewer');
      const members: Client[] = [];
      for (let start = 0; start < 999; start += 100) {
        const batch = Array.from({ length: Math.min(100, 999 - start) }, (_, k) => {
          const n = start + k;
          return join(t.ws, 'crowd', { token: jwt, localAddress: `127.0.${2 + Math.floor(n / 10 / 250)}.${2 + (Math.floor(n / 10) % 250)}` });
        });
        members.push(...(await Promise.all(batch)));
      }
      expect(t.relay.connections.size).toBe(1000);
      const over = await refusal(open(t.ws, 'crowd', { token: jwt, localAddress: '127.0.9.9' }));
      expect(over.status).toBe(503);
      owner.send(param('to_all', 'crowd', 1234));
      await owner.answer('to_all');
      const got = await Promise.all(members.map((m) => m.next((f) => f.id === 'to_all', 10_000)));
      expect(got.every((f) => (f.data as { parameter_value: number }).parameter_value === 1234)).toBe(true);
      for (const m of members) m.socket.terminate();
      owner.close();
    } finally {
      await t.stop();
      cleanup(t.dataDir);
    }
  }, 60_000);
});

describe('HTTP API rate', () => {
  it('past the per-address rate, API requests answer 429 RATE_LIMITED; /health is never limited', async () => {
    const t = await startRelay({ OUTBOARD_MAX_HTTP_REQUESTS_PER_SECOND: '5' });
    try {
      await sleep(1100);
      const statuses = await Promise.all(Array.from({ length: 8 }, () => fetch(`${t.url}/api/plugins`).then((r) => r.status)));
      expect(statuses.filter((s) => s === 200)).toHaveLength(5);
      expect(statuses.filter((s) => s === 429)).toHaveLength(3);
      expect((await fetch(`${t.url}/health`)).status).toBe(200);
      await sleep(1100);
      expect((await fetch(`${t.url}/api/plugins`)).status).toBe(200);
    } finally {
      await t.stop();
      cleanup(t.dataDir);
    }
  });
});
