/**
 * The `upgrade` handler: every check of SPEC §7 runs here, before the
 * WebSocket handshake, and a refusal is a plain HTTP answer on the raw socket
 * — so a refused client never sees a byte of session data.
 */
import { STATUS_CODES, type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { ID_PATTERN, newId } from '../../src/protocol/ids.ts';
import type { ErrorCode } from '../../src/protocol/errors.ts';
import { clientIp, originAllowed } from '../auth/origin.ts';
import { atLeast, bearer, inScope, type Principal } from '../auth/tokens.ts';
import { blockedError, type RejectionCause } from '../limits/guard.ts';
import { safeUrl } from '../log.ts';
import type { Hub, Sessions } from '../session/types.ts';
import { Connection, type ConnectionDeps } from './connection.ts';

/** What the upgrade handler needs. */
export interface UpgradeDeps extends ConnectionDeps {
  readonly registry: Sessions;
  readonly connections: Set<Connection>;
  /** True once SIGTERM arrived: no new sockets. */
  isDraining(): boolean;
}

/** Writes an HTTP error on the raw socket and closes it. */
function refuse(socket: Duplex, status: number, code: ErrorCode, message: string, retryAfterS?: number): void {
  const body = JSON.stringify(retryAfterS === undefined ? { code, message } : { code, message, retry_after_s: retryAfterS });
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\nConnection: close\r\nContent-Type: application/json\r\n` +
      (retryAfterS === undefined ? '' : `Retry-After: ${retryAfterS}\r\n`) +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}

// Module-level, not a closure: the socket outlives the upgrade, and a closure here would keep the whole
// request (headers, token, URL) alive for as long as the connection lasts.
function destroyOnError(this: Duplex): void {
  this.destroy();
}

/** Builds the server's `upgrade` listener. */
export function createUpgradeHandler(deps: UpgradeDeps): (req: IncomingMessage, socket: Duplex, head: Buffer) => void {
  const { config, guard, log } = deps;
  const wss = new WebSocketServer({ noServer: true, maxPayload: config.maxMessageBytes, perMessageDeflate: false, clientTracking: false });

  // The connection was counted in by guard.reserve before the handshake.
  const attach = (ws: WebSocket, req: IncomingMessage, principal: Principal, ip: string, hub: Hub, since: number | undefined) => {
    const conn = new Connection(newId('c'), ws, principal, ip, hub, deps);
    deps.connections.add(conn);
    ws.on('error', (error) => {
      // A frame over maxPayload ends here (close 1009): a protocol violation.
      if ((error as { code?: string }).code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') guard.reject(ip, 'message_too_large');
      log.debug({ connection: conn.connectionId, err: error.message }, 'socket error');
    });
    ws.on('close', () => {
      deps.connections.delete(conn);
      guard.closed(ip);
      conn.dispose();
      hub.leave(conn);
      deps.registry.release(hub);
    });
    log.debug({ connection: conn.connectionId, ip, session: hub.id, user: principal.user, path: safeUrl(req.url) }, 'joined');
    hub.join(conn, since);
  };

  return (req, socket, head) => {
    socket.on('error', destroyOnError);
    const ip = clientIp(req, config.trustProxy);
    const no = (status: number, code: ErrorCode, message: string, cause: RejectionCause, retryAfterS?: number) => {
      guard.reject(ip, cause);
      log.info({ ip, cause, path: safeUrl(req.url) }, 'websocket refused');
      refuse(socket, status, code, message, retryAfterS);
    };
    const url = new URL(req.url ?? '/', 'http://relay.invalid');
    if (url.pathname !== '/ws') return no(404, 'INVALID_MESSAGE', 'WebSocket endpoint is /ws', 'bad_request');
    if (deps.isDraining()) return no(503, 'ENGINE_ERROR', 'the relay is shutting down', 'draining');
    checked(req, socket, head, ip, url, no).catch((error: unknown) => {
      log.error({ err: error, ip }, 'upgrade failed');
      if (!socket.destroyed) no(503, 'ENGINE_ERROR', 'the relay could not check this connection (storage unavailable); retry later', 'bad_request');
    });
  };

  async function checked(req: IncomingMessage, socket: Duplex, head: Buffer, ip: string, url: URL, no: (status: number, code: ErrorCode, message: string, cause: RejectionCause, retryAfterS?: number) => void): Promise<void> {
    const early = await guard.admit(ip);
    if (socket.destroyed) return;
    if (early === 'blocked') {
      const blocked = blockedError((await guard.blockedUntil(ip)) ?? Date.now());
      if (socket.destroyed) return;
      return no(429, blocked.code, blocked.message, early, blocked.retry_after_s);
    }
    if (early) return no(early === 'too_many_total' ? 503 : 429, 'RATE_LIMITED', `too many connections (${early.replaceAll('_', ' ')})`, early);
    if (!originAllowed(req, config.allowedOrigins, config.trustProxy)) return no(403, 'FORBIDDEN', 'Origin not allowed', 'origin');
    const sessionId = url.searchParams.get('session') ?? '';
    if (!ID_PATTERN.test(sessionId)) return no(400, 'INVALID_MESSAGE', 'session must be 1-64 URL-safe characters', 'bad_request');
    const sinceText = url.searchParams.get('since');
    const since = sinceText === null ? undefined : Number(sinceText);
    if (since !== undefined && (!/^\d{1,15}$/.test(sinceText ?? '') || !Number.isSafeInteger(since))) {
      return no(400, 'INVALID_MESSAGE', 'since must be a non-negative integer', 'bad_request');
    }
    const token = bearer(req.headers.authorization) ?? url.searchParams.get('token') ?? undefined;
    if (!token) return no(401, 'UNAUTHORIZED', 'a token is required (Authorization: Bearer, or ?token=)', 'unauthorized');

    const verified = await deps.verifier.verify(token);
    if (socket.destroyed) return;
    if (!verified.ok && verified.error.code === 'ENGINE_ERROR') return no(503, 'ENGINE_ERROR', verified.error.message, 'bad_request');
    if (!verified.ok) return no(401, 'UNAUTHORIZED', verified.error.message, 'unauthorized');
    const principal = verified.value;
    if (!inScope(principal, sessionId)) return no(403, 'FORBIDDEN', 'the token is for another session', 'forbidden');
    // Counts may have moved while the token was being verified; this check also counts the connection in.
    const late = await guard.reserve(ip);
    if (late) return no(late === 'too_many_total' ? 503 : 429, 'RATE_LIMITED', `too many connections (${late.replaceAll('_', ' ')})`, late);
    let hub: Hub | undefined;
    try {
      hub = atLeast(principal.role, 'owner') ? await deps.registry.openOrCreate(sessionId, principal.user) : await deps.registry.open(sessionId);
    } catch (error) {
      guard.closed(ip);
      log.error({ err: error, session: sessionId }, 'session could not be loaded');
      return no(503, 'ENGINE_ERROR', 'the session could not be loaded (storage unavailable); retry later', 'bad_request');
    }
    if (!hub || socket.destroyed) guard.closed(ip);
    if (socket.destroyed) return;
    if (!hub) return no(404, 'SESSION_NOT_FOUND', `session "${sessionId}" does not exist`, 'session_not_found');
    const found = hub;
    // A handshake ws refuses (bad headers) never reaches attach: count the connection out when its socket closes.
    const lost = () => guard.closed(ip);
    socket.once('close', lost);
    wss.handleUpgrade(req, socket, head, (ws) => {
      socket.off('close', lost);
      attach(ws, req, principal, ip, found, since);
    });
  }
}
