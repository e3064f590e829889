/**
 * Invites on a two-node cluster (real redis-server, real relay processes over
 * real sockets): an invite minted on node A is listed and revoked on node B with
 * the single node's API, its devices on both nodes are closed with 4403, and
 * its link opens no socket on either node afterwards.
 */
import { describe, expect, it } from 'vitest';
import { join, open, refusal, seedSession, token } from '../helpers.ts';
import { HAS_REDIS, NO_REDIS, useClusterProcesses } from '../redis-helpers.ts';

const S = 'cinv';
const owner = async () => ({ authorization: `Bearer ${await token(S, 'owner', 'owner')}`, 'content-type': 'application/json' });

async function mint(base: string, body: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(`${base}/api/sessions/${S}/invites`, { method: 'POST', headers: await owner(), body: JSON.stringify(body) });
  expect(res.status).toBe(201);
  return (await res.json()) as Record<string, unknown>;
}

describe.skipIf(!HAS_REDIS)(`invites on a cluster${HAS_REDIS ? '' : ` (skipped: ${NO_REDIS})`}`, () => {
  const cluster = useClusterProcesses();

  it('made on A, listed and revoked on B; its devices on both nodes close with 4403 and its link opens nothing', async () => {
    const { a, b } = cluster;
    const host = await seedSession(a.ws, S);
    const invite = await mint(a.url, { lifetime: 'until_revoked', role: 'editor' });
    const other = await mint(a.url, { lifetime: '1d' });

    const listed = await fetch(`${b.url}/api/sessions/${S}/invites`, { headers: await owner() });
    expect(listed.status).toBe(200);
    const ids = ((await listed.json()) as { invites: { id: string; revoked_at: string | null }[] }).invites.map((i) => i.id);
    // Newest first, as on the single node.
    expect(ids).toEqual([other.id, invite.id]);

    const tabletOnA = await join(a.ws, S, { token: invite.token as string });
    const tabletOnB = await join(b.ws, S, { token: invite.token as string });
    const bandmate = await join(b.ws, S, { token: other.token as string });

    const res = await fetch(`${b.url}/api/sessions/${S}/invites/${String(invite.id)}`, { method: 'DELETE', headers: await owner() });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { revoked_at: string | null }).revoked_at).not.toBeNull();
    for (const tablet of [tabletOnA, tabletOnB]) expect(await tablet.closed).toEqual({ code: 4403, reason: 'the owner revoked this invite' });
    for (const base of [a.ws, b.ws]) {
      const again = await refusal(open(base, S, { token: invite.token as string }));
      expect([again.status, again.code]).toEqual([401, 'UNAUTHORIZED']);
      expect(again.message).toContain('revoked');
    }
    const onA = await fetch(`${a.url}/api/sessions/${S}/invites`, { headers: await owner() });
    const revoked = ((await onA.json()) as { invites: { id: string; revoked_at: string | null }[] }).invites.find((i) => i.id === invite.id);
    expect(revoked?.revoked_at).not.toBeNull();

    // The other invite's device is untouched.
    bandmate.send({ id: 'still_here', type: 'UPDATE_SESSION', session_id: S, data: { changes: { tempo_bpm: 101 } } });
    expect((await bandmate.answer('still_here')).type).toBe('ack');
    const missing = await fetch(`${a.url}/api/sessions/${S}/invites/inv_nope`, { method: 'DELETE', headers: await owner() });
    expect(missing.status).toBe(404);
    host.close();
    bandmate.close();
  });
});
