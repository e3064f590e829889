/**
 * Invite routes (SPEC §6): `POST /api/sessions/:id/invites` mints a link for
 * a role, a lifetime and a purpose; `GET` lists the session's invites;
 * `DELETE …/invites/:invite` revokes one, and its devices' sockets close with
 * the reason (server/relay.ts). Owner (or admin) of the session only.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ID_PATTERN, newId } from '../../src/protocol/ids.ts';
import { InviteRequestSchema, isLoopbackUrl, type Invite } from '../../src/protocol/invites.ts';
import type { InviteRecord } from '../auth/invites.ts';
import { mintToken } from '../auth/tokens.ts';
import { authenticate, type HttpContext } from './context.ts';
import { lanBases } from './lan-links.ts';
import { err, readJson, sendError, sendJson } from './respond.ts';

/**
 * The `exp` of a link whose invite has no end: JWTs need one, and the invite
 * (checked on every use) is what really decides; ten years is "until revoked".
 */
const UNTIL_REVOKED_S = 10 * 365 * 86_400;

/** The base URL links point at: OUTBOARD_PUBLIC_URL, else the request's own origin. */
export function publicBase(ctx: HttpContext, req: IncomingMessage): string {
  if (ctx.config.publicUrl) return ctx.config.publicUrl.replace(/\/+$/, '');
  const forwardedProto = ctx.config.trustProxy ? String(req.headers['x-forwarded-proto'] ?? '').split(',')[0]?.trim() : '';
  const proto = forwardedProto === 'https' ? 'https' : 'http';
  return `${proto}://${req.headers.host ?? `${ctx.config.host}:${ctx.config.port}`}`;
}

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

/** An invite as the API answers it. */
function view(r: InviteRecord): Invite {
  return {
    id: r.id, role: r.role, user: r.user, purpose: r.purpose, lifetime: r.lifetime,
    created_at: new Date(r.created_at).toISOString(), expires_at: iso(r.expires_at), revoked_at: iso(r.revoked_at),
  };
}

/** Routes `/api/sessions/:id/invites[/:invite]` for session `id` (already validated). */
export async function inviteRoutes(ctx: HttpContext, req: IncomingMessage, res: ServerResponse, url: URL, id: string, inviteId: string | undefined): Promise<void> {
  const method = req.method ?? 'GET';
  const auth = await authenticate(ctx, req, url, 'owner', id);
  if (!auth.ok) return sendError(res, auth.error);
  if (inviteId === undefined && method === 'POST') return postInvite(ctx, req, res, id);
  if (inviteId === undefined && method === 'GET') return sendJson(res, 200, { invites: (await ctx.invites.list(id)).map(view) });
  if (inviteId !== undefined && method === 'DELETE') {
    if (!ID_PATTERN.test(inviteId)) return sendError(res, err('INVALID_MESSAGE', 'invite id must be 1-64 URL-safe characters', 'invite'));
    const revoked = await ctx.invites.revoke(id, inviteId);
    if (!revoked) return sendJson(res, 404, err('INVALID_MESSAGE', `session "${id}" has no invite "${inviteId}"`, 'invite'));
    return sendJson(res, 200, view(revoked));
  }
  sendJson(res, 405, err('INVALID_MESSAGE', `${method} is not allowed here`));
}

async function postInvite(ctx: HttpContext, req: IncomingMessage, res: ServerResponse, id: string): Promise<void> {
  // Every field has a default: `curl -X POST` with no body mints an editor's one-day device link.
  const body = await readJson(req, 4096, {});
  if (!body.ok) return sendError(res, body.error);
  const parsed = InviteRequestSchema.safeParse(body.value ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.join('.') || undefined;
    return sendError(res, err('INVALID_MESSAGE', `${field ?? 'body'}: ${issue?.message ?? 'invalid'} (lifetime is one of 1h, 1d, 1w, until_revoked)`, field));
  }
  if (!(await ctx.registry.open(id))) return sendError(res, err('SESSION_NOT_FOUND', `session "${id}" does not exist`));
  const { role, lifetime, purpose } = parsed.data;
  const user = parsed.data.user ?? newId('guest');
  const record = await ctx.invites.create({ sessionId: id, role, user, purpose, lifetime });
  const token = await mintToken(ctx.secret, {
    user, session: id, role, invite: record.id,
    ...(record.expires_at === null ? { ttlSeconds: UNTIL_REVOKED_S } : { expiresAt: record.expires_at }),
  });
  // The purpose rides in the link: a surface opens with audio off.
  const path = `/?session=${encodeURIComponent(id)}&purpose=${purpose}&token=${token}${parsed.data.name ? `&name=${encodeURIComponent(parsed.data.name)}` : ''}`;
  const base = publicBase(ctx, req);
  const lan = isLoopbackUrl(base) ? { lan_urls: lanBases(ctx.config, Number(new URL(base).port) || ctx.config.port).map((b) => `${b}${path}`) } : {};
  sendJson(res, 201, { ...view(record), token, url: `${base}${path}`, ...lan });
}
