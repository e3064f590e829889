/**
 * `GET /metrics`: the Prometheus text format. A scraper authenticates with
 * `OUTBOARD_METRICS_TOKEN` as its bearer token (a static secret, which is what
 * Prometheus's `authorization` setting holds), or with an admin token for
 * every session, like the admin view.
 */
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { bearer } from '../auth/tokens.ts';
import { authenticate, type HttpContext } from './context.ts';
import { ISOLATION_HEADERS, sendError } from './respond.ts';

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Serves the relay's metrics to a scraper holding the metrics token or an admin token. */
export async function metrics(ctx: HttpContext, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  const given = bearer(req.headers.authorization);
  const expected = ctx.config.metricsToken;
  if (!(expected !== undefined && given !== undefined && sameSecret(given, expected))) {
    const auth = await authenticate(ctx, req, url, 'admin', '*');
    if (!auth.ok) return sendError(res, auth.error);
  }
  const text = await ctx.metrics.registry.metrics();
  res.writeHead(200, { ...ISOLATION_HEADERS, 'Content-Type': ctx.metrics.registry.contentType, 'Cache-Control': 'no-store' });
  res.end(text);
}
