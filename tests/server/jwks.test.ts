/**
 * Tokens from an external identity provider (SPEC §7): RS256 and ES256
 * against OUTBOARD_JWKS_URL, beside the relay's own HS256; nothing else.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVerifier } from '../../server/auth/tokens.ts';
import { cleanup, join, open, refusal, SECRET, startRelay, token } from './helpers.ts';

let idp: Server;
let jwksUrl: string;
const keys: Record<string, CryptoKey> = {};

beforeAll(async () => {
  const jwks: Record<string, unknown>[] = [];
  for (const [alg, kid] of [['RS256', 'rsa'], ['ES256', 'ec']] as const) {
    const pair = await generateKeyPair(alg);
    keys[alg] = pair.privateKey;
    jwks.push({ ...(await exportJWK(pair.publicKey)), kid, alg, use: 'sig' });
  }
  idp = createServer((_req, res) => res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ keys: jwks })));
  await new Promise<void>((r) => idp.listen(0, '127.0.0.1', r));
  jwksUrl = `http://127.0.0.1:${(idp.address() as AddressInfo).port}/.well-known/jwks.json`;
});
afterAll(() => new Promise<void>((r) => idp.close(() => r())));

const signed = (alg: 'RS256' | 'ES256', kid: string, key: CryptoKey | Uint8Array) =>
  new SignJWT({ sid: 's1', role: 'editor' }).setProtectedHeader({ alg, kid }).setSubject('idp-user').setExpirationTime('10m').sign(key);

describe('an identity provider\'s tokens', () => {
  it('RS256 and ES256 tokens verify against the JWKS; HS256 still verifies with the secret', async () => {
    const verifier = createVerifier(SECRET, jwksUrl);
    expect(await verifier.verify(await signed('RS256', 'rsa', keys.RS256!))).toMatchObject({ ok: true, value: { user: 'idp-user', role: 'editor' } });
    expect(await verifier.verify(await signed('ES256', 'ec', keys.ES256!))).toMatchObject({ ok: true });
    expect(await verifier.verify(await token('s1', 'local', 'owner'))).toMatchObject({ ok: true, value: { user: 'local' } });
  });

  it('without OUTBOARD_JWKS_URL an RS256 token is refused; a key the IdP does not publish is refused', async () => {
    expect(await createVerifier(SECRET).verify(await signed('RS256', 'rsa', keys.RS256!))).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
    const stranger = await generateKeyPair('ES256');
    expect(await createVerifier(SECRET, jwksUrl).verify(await signed('ES256', 'ec', stranger.privateKey))).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
  });

  it('an HS256 token signed with the IdP\'s public key (algorithm confusion) is refused', async () => {
    const pub = new TextEncoder().encode(JSON.stringify(await (await fetch(jwksUrl)).json()));
    const forged = await new SignJWT({ sid: '*', role: 'admin' }).setProtectedHeader({ alg: 'HS256', kid: 'rsa' }).setSubject('m').setExpirationTime('10m').sign(pub);
    expect(await createVerifier(SECRET, jwksUrl).verify(forged)).toMatchObject({ ok: false });
  });

  it('an identity provider that cannot be reached is ENGINE_ERROR (503, retry later), not UNAUTHORIZED: no block, no renewal loop', async () => {
    const down = createServer((_req, res) => res.writeHead(503).end());
    await new Promise<void>((r) => down.listen(0, '127.0.0.1', r));
    const downUrl = `http://127.0.0.1:${(down.address() as AddressInfo).port}/.well-known/jwks.json`;
    const t = await startRelay({ OUTBOARD_JWKS_URL: downUrl, OUTBOARD_BLOCK_THRESHOLD: '2' });
    try {
      const idpToken = await signed('RS256', 'rsa', keys.RS256!);
      expect(await createVerifier(SECRET, downUrl).verify(idpToken)).toMatchObject({ ok: false, error: { code: 'ENGINE_ERROR', message: expect.stringContaining('OUTBOARD_JWKS_URL') } });
      for (let i = 0; i < 3; i++) {
        const refused = await refusal(open(t.ws, 's1', { token: idpToken }));
        expect([refused.status, refused.code]).toEqual([503, 'ENGINE_ERROR']);
      }
      const res = await fetch(`${t.url}/api/sessions/s1`, { headers: { Authorization: `Bearer ${idpToken}` } });
      expect(res.status).toBe(503);
      expect(await res.json()).toMatchObject({ code: 'ENGINE_ERROR' });
      // Four refusals past a threshold of two, and the address is not blocked: the relay's own tokens still join.
      (await join(t.ws, 's1', { token: await token('s1', 'local', 'owner') })).close();
    } finally {
      await t.stop();
      cleanup(t.dataDir);
      await new Promise<void>((r) => down.close(() => r()));
    }
  });
});
