/** `/health`, `/admin/websocket-security` and the plugin catalog (SPEC §6). */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { PLUGINS, getPlugin } from '../../src/plugins/index.ts';
import { bearer } from '../auth/tokens.ts';
import { StoreDown } from '../store/types.ts';
import { authenticate, type HttpContext } from './context.ts';
import { err, sendError, sendJson } from './respond.ts';

/**
 * Liveness plus storage: 503 with the reason when the store (SQLite, or Redis in a cluster) cannot answer, so a
 * load balancer stops sending clients. Anyone may ask, so the reason names no address; an admin for every
 * session (a Bearer token) also gets the store's own words, host and port included, as `detail`.
 */
export async function health(ctx: HttpContext, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  let storage = 'ok';
  let reason: string | undefined;
  let detail: string | undefined;
  try {
    ctx.store.ping();
  } catch (error) {
    storage = 'down';
    reason = error instanceof Error ? error.message : String(error);
    detail = error instanceof StoreDown ? error.detail : undefined;
  }
  // Only a caller who sent a token is checked (a balancer polling without one never counts toward a block).
  const admin = detail !== undefined && bearer(req.headers.authorization) !== undefined && (await authenticate(ctx, req, url, 'admin', '*')).ok;
  sendJson(res, storage === 'ok' ? 200 : 503, {
    status: storage === 'ok' ? 'ok' : 'error',
    version: ctx.version,
    uptime_s: Math.round((Date.now() - ctx.startedAt) / 1000),
    connections: ctx.guard.connections,
    sessions: ctx.registry.live,
    storage,
    ...(reason === undefined ? {} : { reason }),
    ...(admin ? { detail } : {}),
  });
}

/** What an operator needs to see an attack: who is connected, who is blocked and why, what was refused. */
export async function websocketSecurity(ctx: HttpContext, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  // sid '*' required: an admin of one session does not get to see every address connected to the relay.
  const auth = await authenticate(ctx, req, url, 'admin', '*');
  if (!auth.ok) return sendError(res, auth.error);
  const { config } = ctx;
  const live = await ctx.guard.snapshot();
  sendJson(res, 200, {
    connections: { total: live.total, per_ip: live.perIp, ...(live.nodes ? { per_node: live.nodes } : {}) },
    limits: {
      max_connections: config.maxConnections,
      max_connections_per_ip: config.maxConnectionsPerIp,
      max_messages_per_second: config.maxMessagesPerSecond,
      max_message_bytes: config.maxMessageBytes,
      ping_interval_ms: config.pingIntervalMs,
      block_threshold: config.blockThreshold,
      block_window_ms: config.blockWindowMs,
      block_duration_ms: config.blockDurationMs,
      allowed_origins: config.allowedOrigins,
      trust_proxy: config.trustProxy,
    },
    blocked: live.blocked,
    rejections: live.rejections,
    messages: ctx.messageRates(),
    ops: { committed: ctx.registry.committedOps, commits: ctx.registry.commits },
  });
}

/** `/api/plugins[/:type]`. */
export function plugins(res: ServerResponse, type: string | undefined): void {
  if (type === undefined) return sendJson(res, 200, PLUGINS);
  const plugin = getPlugin(type);
  if (!plugin) return sendError(res, err('PLUGIN_NOT_FOUND', `no plugin type "${type.slice(0, 64)}" in the catalog`), 404);
  sendJson(res, 200, plugin);
}
