/** The operator routes as a test drives them, on a single node or on any node of a cluster. */
import { token } from './helpers.ts';

type Role = 'admin' | 'owner' | 'editor' | 'viewer';

/** An Authorization header for a token of `user` with `role` on `session` (`*`: relay-wide). */
export const bearer = async (session: string, user: string, role: Role) => ({ Authorization: `Bearer ${await token(session, user, role)}` });

export interface Listing { id: string; name: string; seq: number; size_bytes: number; members: number; updated_at: string }

/** `GET /api/sessions` on `base`: the status, the listed ids sorted, and the entries. */
export async function list(base: string, headers?: Record<string, string>): Promise<{ status: number; ids: string[]; sessions: Listing[] }> {
  const res = await fetch(`${base}/api/sessions`, headers ? { headers } : {});
  const body = (await res.json()) as { sessions?: Listing[] };
  const sessions = body.sessions ?? [];
  return { status: res.status, ids: sessions.map((s) => s.id).sort(), sessions };
}

/** Mints an until-revoked invite for `session` as its owner; answers the link's token. */
export async function invite(base: string, session: string): Promise<string> {
  const res = await fetch(`${base}/api/sessions/${session}/invites`, {
    method: 'POST', headers: { ...(await bearer(session, 'owner', 'owner')), 'content-type': 'application/json' }, body: JSON.stringify({ lifetime: 'until_revoked' }),
  });
  return ((await res.json()) as { token: string }).token;
}

/** `DELETE /api/sessions/:id` on `base`. */
export const remove = async (base: string, session: string, headers: Record<string, string>) =>
  fetch(`${base}/api/sessions/${session}`, { method: 'DELETE', headers });
