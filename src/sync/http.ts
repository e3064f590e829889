import { ERROR_CODES, outboardError, type ErrorCode, type Result } from '../protocol/errors.ts';
import type { z } from 'zod';
import { InviteSchema, type Invite, type InviteRequest } from '../protocol/invites.ts';
import { SessionListingsSchema, type SessionListing } from '../protocol/session-listing.ts';
import { parseSessionDocument } from '../model/index.ts';
import type { SessionDocument } from '../protocol/session.ts';

/** The relay's HTTP API as the app uses it; `fetch` is injectable for tests. */
export interface RelayHttpOptions {
  /** `http(s)://host:port`, no trailing slash. */
  readonly base: string;
  readonly token: string;
  readonly fetch?: typeof fetch;
}

const isCode = (v: unknown): v is ErrorCode => typeof v === 'string' && (ERROR_CODES as readonly string[]).includes(v);

async function call(options: RelayHttpOptions, method: string, path: string, body?: unknown): Promise<Result<unknown>> {
  const doFetch = options.fetch ?? fetch;
  let res: Response;
  try {
    res = await doFetch(`${options.base}${path}`, {
      method,
      headers: { authorization: `Bearer ${options.token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  } catch {
    // Unreachable relay: the caller retries later; this is not the user's mistake.
    return { ok: false, error: outboardError('ENGINE_ERROR', 'the relay cannot be reached') };
  }
  let json: unknown = null;
  try {
    json = await res.json();
  } catch {
    json = null;
  }
  if (res.ok) return { ok: true, value: json };
  const err = (json ?? {}) as { code?: unknown; message?: unknown; field?: unknown };
  const code = isCode(err.code) ? err.code : res.status === 401 ? 'UNAUTHORIZED' : res.status === 403 ? 'FORBIDDEN' : 'ENGINE_ERROR';
  return { ok: false, error: outboardError(code, typeof err.message === 'string' ? err.message : `HTTP ${res.status}`, typeof err.field === 'string' ? err.field : undefined) };
}

/** The relay's copy of a session and its seq, validated. */
export interface RelayDocument {
  readonly seq: number;
  readonly document: SessionDocument;
}

function readRelayDocument(value: unknown): Result<RelayDocument> {
  const v = value as { seq?: unknown; document?: unknown } | null;
  if (!v || typeof v.seq !== 'number') return { ok: false, error: outboardError('INVALID_MESSAGE', 'relay answer without seq', 'seq') };
  const doc = parseSessionDocument(v.document);
  return doc.ok ? { ok: true, value: { seq: v.seq, document: doc.value } } : doc;
}

/** `PUT /api/sessions/:id`: publishes a session made offline; the relay merges it like ops. */
export async function publishSession(options: RelayHttpOptions, doc: SessionDocument): Promise<Result<RelayDocument>> {
  const res = await call(options, 'PUT', `/api/sessions/${encodeURIComponent(doc.id)}`, doc);
  return res.ok ? readRelayDocument(res.value) : res;
}

/** `GET /api/sessions/:id`: also tells why a WebSocket handshake failed (browsers hide the status). */
export async function fetchSession(options: RelayHttpOptions, sessionId: string): Promise<Result<RelayDocument>> {
  const res = await call(options, 'GET', `/api/sessions/${encodeURIComponent(sessionId)}`);
  return res.ok ? readRelayDocument(res.value) : res;
}

/** `POST /api/sessions/:id/invites`: a link (and token) for a tablet or a bandmate, for as long as the owner chooses. */
export async function createInvite(options: RelayHttpOptions, sessionId: string, request: Partial<InviteRequest>): Promise<Result<Invite>> {
  const res = await call(options, 'POST', `/api/sessions/${encodeURIComponent(sessionId)}/invites`, request);
  if (!res.ok) return res;
  const invite = readInvite(res.value);
  if (invite.ok && (invite.value.url === undefined || invite.value.token === undefined)) {
    return { ok: false, error: outboardError('INVALID_MESSAGE', 'relay answer without an invite url', 'url') };
  }
  return invite;
}

/** `GET /api/sessions/:id/invites`: the session's invites, newest first. */
export async function listInvites(options: RelayHttpOptions, sessionId: string): Promise<Result<Invite[]>> {
  const res = await call(options, 'GET', `/api/sessions/${encodeURIComponent(sessionId)}/invites`);
  if (!res.ok) return res;
  const list = (res.value as { invites?: unknown } | null)?.invites;
  if (!Array.isArray(list)) return { ok: false, error: outboardError('INVALID_MESSAGE', 'relay answer without invites', 'invites') };
  const invites: Invite[] = [];
  for (const item of list) {
    const invite = readInvite(item);
    if (!invite.ok) return invite;
    invites.push(invite.value);
  }
  return { ok: true, value: invites };
}

/** `DELETE /api/sessions/:id/invites/:invite`: revokes it; its devices are disconnected with the reason. */
export async function revokeInvite(options: RelayHttpOptions, sessionId: string, inviteId: string): Promise<Result<Invite>> {
  const res = await call(options, 'DELETE', `/api/sessions/${encodeURIComponent(sessionId)}/invites/${encodeURIComponent(inviteId)}`);
  return res.ok ? readInvite(res.value) : res;
}

/** A relay answer checked against its schema; a wrong one is INVALID_MESSAGE naming the field. */
function readAnswer<T>(schema: z.ZodType<T>, value: unknown, what: string): Result<T> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return { ok: true, value: parsed.data };
  const issue = parsed.error.issues[0];
  return { ok: false, error: outboardError('INVALID_MESSAGE', `relay answer is not ${what}: ${issue?.message ?? 'invalid'}`, issue?.path.join('.')) };
}

const readInvite = (value: unknown): Result<Invite> => readAnswer(InviteSchema, value, 'an invite');

/** `GET /api/sessions`: the sessions this token may see on the relay (an admin: all; an owner: theirs). */
export async function listRelaySessions(options: RelayHttpOptions): Promise<Result<SessionListing[]>> {
  const res = await call(options, 'GET', '/api/sessions');
  if (!res.ok) return res;
  const list = readAnswer(SessionListingsSchema, res.value, 'a session list');
  return list.ok ? { ok: true, value: list.value.sessions } : list;
}
