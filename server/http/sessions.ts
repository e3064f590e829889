/**
 * Session routes (SPEC §6): read, publish, apply one op; invites in ./invites.ts.
 * Ops over HTTP take exactly the WebSocket path (same hub, same group commit),
 * and answer the same frames: the ack once durable, or the error.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ID_PATTERN } from '../../src/protocol/ids.ts';
import type { AnyOp } from '../../src/protocol/ops.ts';
import { isOpMessage } from '../../src/protocol/messages.ts';
import { parseClientMessage } from '../../src/protocol/parse.ts';
import { parseSessionDocument } from '../../src/model/index.ts';
import { inviteRoutes } from './invites.ts';
import { ackFrame, errorFrame } from '../session/frames.ts';
import type { Accepted } from '../session/hub.ts';
import { authenticate, type HttpContext } from './context.ts';
import { err, readJson, sendError, sendJson, statusOf } from './respond.ts';
import type { Result } from '../../src/protocol/errors.ts';

/** Routes `/api/sessions/:id[/ops|/invites[/:invite]]`; answers false when the path is not one of them. */
export async function sessionRoutes(ctx: HttpContext, req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> {
  const match = /^\/api\/sessions\/([^/]+)(\/ops|\/invites)?(?:\/([^/]+))?$/.exec(url.pathname);
  if (!match) return false;
  const id = decodeURIComponent(match[1] ?? '');
  if (!ID_PATTERN.test(id)) {
    sendError(res, err('INVALID_MESSAGE', 'session id must be 1-64 URL-safe characters', 'id'));
    return true;
  }
  const sub = match[2];
  const method = req.method ?? 'GET';
  if (sub === '/invites') {
    await inviteRoutes(ctx, req, res, url, id, match[3] === undefined ? undefined : decodeURIComponent(match[3]));
    return true;
  }
  if (match[3] !== undefined) return false;
  if (sub === undefined && method === 'GET') await getSession(ctx, req, res, url, id);
  else if (sub === undefined && method === 'PUT') await putSession(ctx, req, res, url, id);
  else if (sub === '/ops' && method === 'POST') await postOp(ctx, req, res, url, id);
  else sendJson(res, 405, err('INVALID_MESSAGE', `${method} is not allowed here`));
  return true;
}

async function getSession(ctx: HttpContext, req: IncomingMessage, res: ServerResponse, url: URL, id: string): Promise<void> {
  const auth = await authenticate(ctx, req, url, 'viewer', id);
  if (!auth.ok) return sendError(res, auth.error);
  const hub = await ctx.registry.open(id);
  if (!hub) return sendError(res, err('SESSION_NOT_FOUND', `session "${id}" does not exist`));
  // Read after pending ops commit, so the seq and the document agree and nothing unacked shows.
  await new Promise<void>((resolve) => hub.whenSettled(resolve));
  sendJson(res, 200, { seq: hub.committedSeq, document: hub.doc });
  ctx.registry.release(hub);
}

async function putSession(ctx: HttpContext, req: IncomingMessage, res: ServerResponse, url: URL, id: string): Promise<void> {
  const auth = await authenticate(ctx, req, url, 'owner', id);
  if (!auth.ok) return sendError(res, auth.error);
  const body = await readJson(req, ctx.config.maxDocumentBytes);
  if (!body.ok) return sendError(res, body.error);
  const parsed = parseSessionDocument(body.value);
  if (!parsed.ok) return sendError(res, parsed.error);
  if (parsed.value.id !== id) return sendError(res, err('INVALID_MESSAGE', `document id "${parsed.value.id}" is not "${id}"`, 'id'));
  const published = await ctx.registry.publish(id, parsed.value, auth.value.user);
  if (!published.ok) return sendError(res, published.error);
  sendJson(res, 200, published.value);
}

async function postOp(ctx: HttpContext, req: IncomingMessage, res: ServerResponse, url: URL, id: string): Promise<void> {
  const auth = await authenticate(ctx, req, url, 'editor', id);
  if (!auth.ok) return sendError(res, auth.error);
  const body = await readJson(req, ctx.config.maxMessageBytes);
  if (!body.ok) return sendJson(res, statusOf(body.error.code), JSON.parse(errorFrame(body.error).text));
  // HTTP callers may leave out the envelope's session_id: the path names it.
  const value = body.value;
  const withSession = typeof value === 'object' && value !== null && !Array.isArray(value) && !('session_id' in value) ? { ...value, session_id: id } : value;
  const parsed = parseClientMessage(withSession);
  const msgId = typeof (value as { id?: unknown } | null)?.id === 'string' ? ((value as { id: string }).id) : undefined;
  const fail = (e: Parameters<typeof errorFrame>[0]) => sendJson(res, statusOf(e.code), JSON.parse(errorFrame(e, ID_PATTERN.test(msgId ?? '') ? msgId : undefined).text));
  if (!parsed.ok) return fail(parsed.error);
  const msg = parsed.value;
  if (!isOpMessage(msg)) return fail(err('INVALID_MESSAGE', `${msg.type} is only meaningful on a WebSocket`, 'type'));
  if (msg.session_id !== id) return fail(err('FORBIDDEN', `the path names session "${id}"`, 'session_id'));
  const hub = await ctx.registry.open(id);
  if (!hub) return fail(err('SESSION_NOT_FOUND', `session "${id}" does not exist`));
  const op = { id: msg.id, type: msg.type, data: msg.data, ...(msg.hlc ? { hlc: msg.hlc } : {}) } as AnyOp;
  const outcome = await new Promise<Result<Accepted>>((resolve) => {
    const submitted = hub.submit(op, auth.value.user, { done: resolve });
    if (!submitted.ok) resolve(submitted);
  });
  ctx.registry.release(hub);
  if (!outcome.ok) return fail(outcome.error);
  sendJson(res, 200, JSON.parse(ackFrame(msg.id, outcome.value.seq, outcome.value.superseded).text));
}
