/**
 * Access tokens of invited devices (SPEC §7): the link carries the invite's
 * token; a connected device is handed short-lived access tokens over its
 * socket (`TOKEN` frames), renewed before they expire for as long as the
 * invite stands. Every token tied to an invite is checked against it, so a
 * revoked or expired invite ends them all at once.
 */
import { outboardError, type Result } from '../../src/protocol/errors.ts';
import { inviteProblem, type Invites } from './invites.ts';
import { mintToken, type Principal, type TokenVerifier } from './tokens.ts';

/** What a refused invite token is told (shown to the user as is). */
const PROBLEM_TEXT = {
  unknown: 'this invite does not exist on this relay: ask the owner for a new link',
  revoked: 'the owner revoked this invite: ask for a new link',
  expired: 'this invite has expired: ask the owner for a new link',
} as const;

/** A verifier that also refuses tokens whose invite was revoked or has expired. */
export function withInvites(verifier: TokenVerifier, invites: Invites): TokenVerifier {
  return {
    async verify(token) {
      const verified = await verifier.verify(token);
      if (!verified.ok || verified.value.invite === undefined) return verified;
      const problem = await invites.problem(verified.value.invite);
      return problem === null ? verified : { ok: false, error: outboardError('UNAUTHORIZED', PROBLEM_TEXT[problem]) };
    },
  };
}

/** A fresh access token and what it grants. */
export interface AccessToken {
  readonly token: string;
  readonly principal: Principal;
}

/**
 * Mints the next access token for an invited member: the same user, session
 * and role, valid `ttlSeconds` but never past the invite's end. Refused when
 * the invite no longer stands, or is about to end (nothing left to renew).
 */
export async function renewAccess(secret: string, invites: Invites, principal: Principal, ttlSeconds: number, now = Date.now()): Promise<Result<AccessToken>> {
  const id = principal.invite;
  if (id === undefined) return { ok: false, error: outboardError('UNAUTHORIZED', 'only invited devices get access tokens') };
  let invite;
  try {
    invite = await invites.get(id);
  } catch {
    // The store is away (a cluster without Redis): no fresh token; the current one runs until it expires.
    return { ok: false, error: outboardError('ENGINE_ERROR', 'the relay cannot check the invite now; retry later') };
  }
  const problem = inviteProblem(invite, now);
  if (problem !== null || !invite) return { ok: false, error: outboardError('UNAUTHORIZED', PROBLEM_TEXT[problem ?? 'unknown']) };
  const expiresAt = Math.min(now + ttlSeconds * 1000, invite.expires_at ?? Infinity);
  // JWT `exp` has one-second resolution: less than that left is nothing to hand out.
  if (expiresAt - now < 1000) return { ok: false, error: outboardError('UNAUTHORIZED', PROBLEM_TEXT.expired) };
  const token = await mintToken(secret, { user: principal.user, session: principal.session, role: principal.role, expiresAt, invite: id });
  return { ok: true, value: { token, principal: { ...principal, expiresAt: Math.floor(expiresAt / 1000) * 1000 } } };
}
