/** Dispatches an HTTP request to its route (SPEC §6); anything unknown is the app. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { clientIp } from '../auth/origin.ts';
import { safeUrl } from '../log.ts';
import { StorageDown } from '../session/types.ts';
import { aguiEvents } from './agui.ts';
import type { HttpContext } from './context.ts';
import { health, plugins, websocketSecurity } from './info.ts';
import { metrics } from './metrics.ts';
import { err, sendError, sendJson } from './respond.ts';
import { deleteSession, listSessions } from './session-admin.ts';
import { sessionRoutes } from './sessions.ts';
import { createStatic } from './static.ts';

/** Whether every %-escape of `path` decodes (`decodeURIComponent` throws a URIError otherwise). */
function decodable(path: string): boolean {
  try {
    decodeURIComponent(path);
    return true;
  } catch {
    return false;
  }
}

/** Builds the server's `request` listener. */
export function createRouter(ctx: HttpContext): (req: IncomingMessage, res: ServerResponse) => void {
  const serveStatic = createStatic(ctx.config.distDir);

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://relay.invalid');
    const path = url.pathname;
    const method = req.method ?? 'GET';
    if (path === '/health') return health(ctx, req, res, url);
    if (path.startsWith('/api/') || path.startsWith('/admin/')) {
      const ip = clientIp(req, ctx.config.trustProxy);
      if (!(await ctx.allowRequest(ip))) {
        ctx.guard.reject(ip, 'rate_limited');
        return sendError(res, err('RATE_LIMITED', `more than ${ctx.config.maxHttpRequestsPerSecond} requests per second from this address`));
      }
      // The routes below decode their path segments; a bad escape is the caller's mistake, not a 500.
      if (!decodable(path)) return sendError(res, err('INVALID_MESSAGE', `the path ${JSON.stringify(path.slice(0, 200))} has an invalid %-escape`, 'path'));
    }
    if (path === '/admin/websocket-security') return websocketSecurity(ctx, req, res, url);
    if (path === '/metrics' && method === 'GET') return metrics(ctx, req, res, url);
    if (path === '/api/plugins' || path.startsWith('/api/plugins/')) {
      if (method !== 'GET') return sendJson(res, 405, err('INVALID_MESSAGE', `${method} is not allowed here`));
      const type = path === '/api/plugins' ? undefined : decodeURIComponent(path.slice('/api/plugins/'.length));
      return plugins(res, type);
    }
    if (path === '/api/agui/events' && method === 'GET') return aguiEvents(ctx, req, res, url);
    if (path === '/api/sessions') {
      if (method !== 'GET') return sendJson(res, 405, err('INVALID_MESSAGE', `${method} is not allowed here`));
      return listSessions(ctx, req, res, url);
    }
    const deleting = method === 'DELETE' ? /^\/api\/sessions\/([^/]+)$/.exec(path) : null;
    if (deleting) return deleteSession(ctx, req, res, url, decodeURIComponent(deleting[1] ?? ''));
    if (await sessionRoutes(ctx, req, res, url)) return;
    // A plain request to the socket's path (curl, a proxy without upgrade support) is told what it lacks.
    if (path === '/ws') return sendError(res, err('INVALID_MESSAGE', '/ws is the WebSocket endpoint: connect with Upgrade: websocket (GET /ws?session=<id>)'), 426);
    if (path.startsWith('/api/')) return sendError(res, err('INVALID_MESSAGE', `no route ${method} ${path}`), 404);
    return serveStatic(req, res, url);
  }

  return (req, res) => {
    route(req, res).catch((error: unknown) => {
      if (error instanceof StorageDown && !res.headersSent) return sendError(res, err('ENGINE_ERROR', error.message), 503);
      ctx.log.error({ err: error, method: req.method, path: safeUrl(req.url) }, 'request failed');
      if (!res.headersSent) sendError(res, err('ENGINE_ERROR', 'internal error'), 500);
      else res.destroy();
    });
  };
}
