/** What every HTTP route can reach, and request authentication. */
import type { IncomingMessage } from 'node:http';
import type { Result } from '../../src/protocol/errors.ts';
import type { Role } from '../../src/protocol/messages.ts';
import { clientIp } from '../auth/origin.ts';
import { atLeast, bearer, inScope, type Principal, type TokenVerifier } from '../auth/tokens.ts';
import type { RelayConfig } from '../config.ts';
import { blockedError, type ConnectionGuard } from '../limits/guard.ts';
import type { Logger } from '../log.ts';
import type { Invites } from '../auth/invites.ts';
import type { SessionAdmin } from '../session/admin.ts';
import type { RelayMetrics } from '../metrics/relay-metrics.ts';
import type { Sessions } from '../session/types.ts';
import type { StoreHandle } from '../store/types.ts';
import { err } from './respond.ts';

/** Shared relay state for the routes. */
export interface HttpContext {
  readonly config: RelayConfig;
  readonly secret: string;
  readonly verifier: TokenVerifier;
  readonly guard: ConnectionGuard;
  readonly registry: Sessions;
  readonly store: StoreHandle;
  readonly invites: Invites;
  /** The operator's listing and deleting of stored sessions. */
  readonly admin: SessionAdmin;
  readonly log: Logger;
  readonly metrics: RelayMetrics;
  readonly startedAt: number;
  readonly version: string;
  /** Messages per second over the last few seconds, for the admin view. */
  messageRates(): { last_1s: number; last_10s_avg: number; total: number };
  /** Counts one API request from `ip`; false when it is over the per-address rate. */
  allowRequest(ip: string): Promise<boolean>;
  /** Called with a cleanup for every open event stream, so shutdown can end them. */
  trackStream(end: () => void): () => void;
}

/**
 * Authenticates a request for `sessionId` (or any session when undefined) at
 * `role` or above. Bearer header; `?token=` too, for EventSource, which
 * cannot set headers. Failures count toward the IP's block.
 */
export async function authenticate(ctx: HttpContext, req: IncomingMessage, url: URL, role: Role, sessionId?: string): Promise<Result<Principal>> {
  const ip = clientIp(req, ctx.config.trustProxy);
  const blockedUntil = await ctx.guard.blockedUntil(ip);
  if (blockedUntil !== undefined) return { ok: false, error: blockedError(blockedUntil) };
  const token = bearer(req.headers.authorization) ?? url.searchParams.get('token') ?? undefined;
  if (!token) {
    ctx.guard.reject(ip, 'unauthorized');
    return { ok: false, error: err('UNAUTHORIZED', 'Authorization: Bearer <token> is required') };
  }
  const verified = await ctx.verifier.verify(token);
  if (!verified.ok) {
    // ENGINE_ERROR: the identity provider is away, which is no failure of this caller's.
    if (verified.error.code === 'UNAUTHORIZED') ctx.guard.reject(ip, 'unauthorized');
    return verified;
  }
  const principal = verified.value;
  if (sessionId !== undefined && !inScope(principal, sessionId)) {
    ctx.guard.reject(ip, 'forbidden');
    // '*' is asked by relay-wide routes: a token for one session is not "for another session" there.
    const message = sessionId === '*' ? `this needs a token for every session (sid "*"); this one is for session "${principal.session}"` : 'the token is for another session';
    return { ok: false, error: err('FORBIDDEN', message) };
  }
  if (!atLeast(principal.role, role)) {
    ctx.guard.reject(ip, 'forbidden');
    return { ok: false, error: err('FORBIDDEN', `this needs the ${role} role or above`) };
  }
  return verified;
}
