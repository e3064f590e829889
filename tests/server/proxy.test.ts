/**
 * Behind a reverse proxy (SPEC §7): X-Forwarded-For names the client only when
 * OUTBOARD_TRUST_PROXY is set; otherwise a client cannot dodge its limits by
 * sending the header. Extra origins come from OUTBOARD_ALLOWED_ORIGINS.
 */
import { describe, expect, it } from 'vitest';
import { cleanup, join, open, refusal, seedSession, startRelay, token } from './helpers.ts';

describe('OUTBOARD_TRUST_PROXY', () => {
  it('set: failures count against the forwarded address, not the proxy\'s', async () => {
    const t = await startRelay({ OUTBOARD_TRUST_PROXY: '1', OUTBOARD_BLOCK_THRESHOLD: '2' });
    try {
      (await seedSession(t.ws, 'px')).close();
      const evil = { headers: { 'X-Forwarded-For': '203.0.113.9, 10.0.0.1' } };
      for (let i = 0; i < 2; i++) expect((await refusal(open(t.ws, 'px', { ...evil, token: 'bad' }))).status).toBe(401);
      expect((await refusal(open(t.ws, 'px', { ...evil, token: await token('px', 'e', 'editor') }))).status).toBe(429);
      (await join(t.ws, 'px', { headers: { 'X-Forwarded-For': '198.51.100.7' }, token: await token('px', 'e', 'editor') })).close();
    } finally {
      await t.stop();
      cleanup(t.dataDir);
    }
  });

  it('unset: the header is ignored, the socket address counts', async () => {
    const t = await startRelay({ OUTBOARD_BLOCK_THRESHOLD: '2' });
    try {
      (await seedSession(t.ws, 'px')).close();
      for (let i = 0; i < 2; i++) {
        const spoofed = { localAddress: '127.0.0.20', headers: { 'X-Forwarded-For': `203.0.113.${i}` } };
        expect((await refusal(open(t.ws, 'px', { ...spoofed, token: 'bad' }))).status).toBe(401);
      }
      const again = await refusal(open(t.ws, 'px', { localAddress: '127.0.0.20', headers: { 'X-Forwarded-For': '203.0.113.99' }, token: await token('px', 'e', 'editor') }));
      expect(again.status).toBe(429);
    } finally {
      await t.stop();
      cleanup(t.dataDir);
    }
  });
});

describe('OUTBOARD_ALLOWED_ORIGINS', () => {
  it('lets a listed site in and keeps others out', async () => {
    const t = await startRelay({ OUTBOARD_ALLOWED_ORIGINS: 'https://studio.example' });
    try {
      const jwt = await token('og', 'o', 'owner');
      (await join(t.ws, 'og', { token: jwt, headers: { Origin: 'https://studio.example' } })).close();
      expect((await refusal(open(t.ws, 'og', { token: jwt, headers: { Origin: 'https://studio.example.evil.test' } }))).status).toBe(403);
      expect((await refusal(open(t.ws, 'og', { token: jwt, headers: { Origin: 'null' } }))).status).toBe(403);
    } finally {
      await t.stop();
      cleanup(t.dataDir);
    }
  });
});
