/**
 * The AG-UI event stream (SPEC §6): Server-Sent Events, `STATE_SNAPSHOT`
 * first, then one `STATE_DELTA` (RFC 6902 JSON Patch) per applied op. The SSE
 * `id` is the op's seq, so a reconnecting agent sends `Last-Event-ID` and
 * gets only the deltas it missed — from a bounded per-session history, or a
 * fresh snapshot when it is further behind than that.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import jsonPatch from 'fast-json-patch';
import type { Operation } from 'fast-json-patch';
import { ID_PATTERN } from '../../src/protocol/ids.ts';
import type { Change } from '../session/hub.ts';
import type { Hub } from '../session/types.ts';
import { authenticate, type HttpContext } from './context.ts';
import { ISOLATION_HEADERS, err, sendError } from './respond.ts';

/** Deltas kept per watched session for `Last-Event-ID` resumes. */
const HISTORY = 512;
const KEEPALIVE_MS = 15_000;

interface Delta {
  readonly seq: number;
  readonly delta: Operation[];
}

/** Per-hub delta history, started the first time anyone watches the session. */
const histories = new WeakMap<Hub, Delta[]>();

function historyOf(hub: Hub): Delta[] {
  let history = histories.get(hub);
  if (!history) {
    const list: Delta[] = [];
    // It lives as long as the hub is loaded (a reconnecting agent resumes from it), but never keeps it loaded.
    hub.subscribe((change: Change) => {
      list.push({ seq: change.seq, delta: jsonPatch.compare(change.before, change.after) });
      if (list.length > HISTORY) list.splice(0, list.length - HISTORY);
    }, false);
    histories.set(hub, list);
    history = list;
  }
  return history;
}

/** `GET /api/agui/events?session=<id>`. */
export async function aguiEvents(ctx: HttpContext, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  const id = url.searchParams.get('session') ?? '';
  if (!ID_PATTERN.test(id)) return sendError(res, err('INVALID_MESSAGE', 'session must be 1-64 URL-safe characters', 'session'));
  const auth = await authenticate(ctx, req, url, 'viewer', id);
  if (!auth.ok) return sendError(res, auth.error);
  const hub = await ctx.registry.open(id);
  if (!hub) return sendError(res, err('SESSION_NOT_FOUND', `session "${id}" does not exist`));
  const history = historyOf(hub);
  await new Promise<void>((resolve) => hub.whenSettled(resolve));

  res.writeHead(200, { ...ISOLATION_HEADERS, 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-store', Connection: 'keep-alive', 'X-Accel-Buffering': 'no' });
  const send = (seq: number, event: object) => res.write(`id: ${seq}\ndata: ${JSON.stringify(event)}\n\n`);
  const lastText = String(req.headers['last-event-id'] ?? url.searchParams.get('last_event_id') ?? '');
  const last = /^\d{1,15}$/.test(lastText) ? Number(lastText) : undefined;
  const seq = hub.committedSeq;
  const oldest = history[0]?.seq;
  if (last !== undefined && last === seq) {
    // Up to date: nothing to send until the next op.
  } else if (last !== undefined && last < seq && oldest !== undefined && oldest <= last + 1) {
    for (const d of history) if (d.seq > last) send(d.seq, { type: 'STATE_DELTA', delta: d.delta });
  } else {
    send(seq, { type: 'STATE_SNAPSHOT', snapshot: hub.doc });
  }
  const unsubscribe = hub.subscribe((change) => {
    // The history listener was registered first, so the newest delta is already computed.
    const d = history[history.length - 1];
    send(change.seq, { type: 'STATE_DELTA', delta: d && d.seq === change.seq ? d.delta : jsonPatch.compare(change.before, change.after) });
  });
  const keepalive = setInterval(() => res.write(': keepalive\n\n'), KEEPALIVE_MS);
  // The stream ends with its token, like a socket does; the agent reconnects with a fresh one and Last-Event-ID.
  const expiry = setTimeout(() => end(), Math.max(0, Math.min(auth.value.expiresAt - Date.now(), 2 ** 31 - 1)));
  const end = () => {
    clearInterval(keepalive);
    clearTimeout(expiry);
    unsubscribe();
    unEnd();
    untrack();
    if (!res.writableEnded) res.end();
    // The last stream of an otherwise unused session lets it be unloaded, as a socket's leaving does.
    ctx.registry.release(hub);
  };
  const untrack = ctx.trackStream(end);
  // A deleted session has no more events: the stream ends, and a reconnect gets 404.
  const unEnd = hub.onEnd(end);
  req.on('close', end);
}
