/**
 * Browser Origin allowlist (SPEC §7), against cross-site WebSocket hijacking:
 * a page on another site cannot open a socket with the user's cookies or a
 * token it found. Non-browser clients send no Origin and are let through —
 * they still need a token.
 */
import type { IncomingMessage } from 'node:http';

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** Whether the request's Origin is allowed: none, the relay's own, localhost, or listed. */
export function originAllowed(req: IncomingMessage, allowed: readonly string[], trustProxy: boolean): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
  if (allowed.includes(url.origin) || allowed.includes('*')) return true;
  if (LOOPBACK_HOSTS.has(url.hostname)) return true;
  const forwardedHost = trustProxy ? firstHeader(req.headers['x-forwarded-host']) : undefined;
  const host = forwardedHost ?? req.headers.host;
  return host !== undefined && url.host === host;
}

function firstHeader(value: string | string[] | undefined): string | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  return v?.split(',')[0]?.trim() || undefined;
}

/** The client's IP: the socket's, or the first X-Forwarded-For hop when the proxy is trusted. */
export function clientIp(req: IncomingMessage, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = firstHeader(req.headers['x-forwarded-for']);
    if (forwarded) return forwarded;
  }
  const address = req.socket.remoteAddress ?? 'unknown';
  return address.startsWith('::ffff:') ? address.slice(7) : address;
}
