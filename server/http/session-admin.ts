/**
 * The operator's session routes: `GET /api/sessions` lists the sessions a
 * token may see, `DELETE /api/sessions/:id` deletes one.
 *
 * Who sees and deletes what follows the `sid` claim as everywhere else: a
 * token for one session (owner or admin) reaches that session; an admin
 * token for `*` reaches all; an owner token for `*` reaches the sessions its
 * user created. Editors and viewers reach none (403).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ID_PATTERN } from '../../src/protocol/ids.ts';
import type { SessionListing } from '../../src/protocol/session-listing.ts';
import type { Principal } from '../auth/tokens.ts';
import type { SessionInfo } from '../session/admin.ts';
import { authenticate, type HttpContext } from './context.ts';
import { ISOLATION_HEADERS, err, sendError, sendJson } from './respond.ts';

/** Whether `principal` may see or delete the stored session `id` created by `creator`. */
function reaches(principal: Principal, id: string, creator: string | null): boolean {
  if (principal.session !== '*') return principal.session === id;
  return principal.role === 'admin' || creator === principal.user;
}

const listing = (s: SessionInfo): SessionListing => ({
  id: s.id, name: s.name, seq: s.seq, size_bytes: s.size, members: s.members, updated_at: new Date(s.updatedAt).toISOString(),
});

/** `GET /api/sessions`: `{sessions: SessionListing[]}`, newest change first. */
export async function listSessions(ctx: HttpContext, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  const auth = await authenticate(ctx, req, url, 'owner');
  if (!auth.ok) return sendError(res, auth.error);
  const principal = auth.value;
  const all = principal.session === '*' && principal.role === 'admin';
  const rows = all ? await ctx.admin.list() : await ctx.admin.list(principal.session === '*' ? principal.user : undefined);
  const sessions = rows.filter((s) => reaches(principal, s.id, s.createdBy)).map(listing);
  sendJson(res, 200, { sessions });
}

/** `DELETE /api/sessions/:id`: closes its members (on every node) with the reason, removes snapshot, log and invites, 204. */
export async function deleteSession(ctx: HttpContext, req: IncomingMessage, res: ServerResponse, url: URL, id: string): Promise<void> {
  if (!ID_PATTERN.test(id)) return sendError(res, err('INVALID_MESSAGE', 'session id must be 1-64 URL-safe characters', 'id'));
  const auth = await authenticate(ctx, req, url, 'owner', id);
  if (!auth.ok) return sendError(res, auth.error);
  const principal = auth.value;
  const creator = await ctx.admin.creatorOf(id);
  if (creator === undefined) return sendError(res, err('SESSION_NOT_FOUND', `session "${id}" does not exist`));
  if (!reaches(principal, id, creator)) return sendError(res, err('FORBIDDEN', 'an owner token for every session deletes only the sessions its user created'));
  const by = principal.role === 'admin' ? 'an admin' : 'its owner';
  await ctx.admin.delete(id, `session deleted by ${by}`);
  await ctx.invites.removeSession(id);
  ctx.log.info({ session: id, user: principal.user, role: principal.role }, 'session deleted');
  res.writeHead(204, { ...ISOLATION_HEADERS, 'Cache-Control': 'no-store' }).end();
}
