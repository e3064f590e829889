/**
 * JWT verification and minting (SPEC §7). An explicit algorithm allowlist:
 * HS256 with the relay's secret, RS256/ES256 against OUTBOARD_JWKS_URL.
 * `alg: none`, a bad signature, an expired token or missing claims all fail
 * with UNAUTHORIZED; scope (`sid`) is checked by the caller.
 */
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify, SignJWT, type JWTPayload } from 'jose';
import { outboardError, type OutboardError, type Result } from '../../src/protocol/errors.ts';
import { ROLES, type Role } from '../../src/protocol/messages.ts';

/** Who a verified token says the caller is. */
export interface Principal {
  /** `sub`: the user id, the `changed_by` of every op they make. */
  readonly user: string;
  /** `sid`: one session id, or `*` for all. */
  readonly session: string;
  readonly role: Role;
  /** `exp` in ms since the epoch. */
  readonly expiresAt: number;
  /** `inv`: the invite the token was minted for; the token works only while that invite stands. */
  readonly invite?: string;
}

const HMAC_ALGS = ['HS256'];
const JWKS_ALGS = ['RS256', 'ES256'];

/** Verifies tokens; one per relay. */
export interface TokenVerifier {
  verify(token: string): Promise<Result<Principal>>;
}

const unauthorized = (message: string): Result<Principal> => ({ ok: false, error: outboardError('UNAUTHORIZED', message) });

function toPrincipal(payload: JWTPayload): Result<Principal> {
  const { sub, sid, role, exp, inv } = payload as JWTPayload & { sid?: unknown; role?: unknown; inv?: unknown };
  if (typeof sub !== 'string' || sub.length === 0 || sub.length > 256) return unauthorized('token has no valid "sub"');
  if (typeof sid !== 'string' || sid.length === 0 || sid.length > 64) return unauthorized('token has no valid "sid"');
  if (typeof role !== 'string' || !(ROLES as readonly string[]).includes(role)) return unauthorized('token has no valid "role"');
  if (typeof exp !== 'number') return unauthorized('token has no "exp"');
  if (inv !== undefined && (typeof inv !== 'string' || inv.length === 0 || inv.length > 64)) return unauthorized('token has an invalid "inv"');
  const principal = { user: sub, session: sid, role: role as Role, expiresAt: exp * 1000 };
  return { ok: true, value: typeof inv === 'string' ? { ...principal, invite: inv } : principal };
}

/** What was wrong with a token jose refused, in words that name it (the claim, the signature, the key). */
function refusal(error: unknown): string {
  const { code, claim, reason } = error as { code?: string; claim?: string; reason?: string };
  switch (code) {
    case 'ERR_JWT_EXPIRED': return 'token has expired';
    case 'ERR_JWT_CLAIM_VALIDATION_FAILED':
      if (reason === 'missing') return `token has no "${claim}"`;
      return claim === 'nbf' ? 'token is not valid yet ("nbf" is in the future)' : `token has an invalid "${claim}"`;
    case 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED': return 'token signature is invalid (signed with another secret or key)';
    case 'ERR_JWKS_NO_MATCHING_KEY': return 'token is signed with a key the identity provider does not publish';
    case 'ERR_JWS_INVALID': case 'ERR_JWT_INVALID': return 'token is malformed';
    default: return 'token signature or claims are invalid';
  }
}

/** Errors of fetching the identity provider's key set (unreachable, not 200, not a JWKS), as opposed to a bad token. */
const KEY_SET_ERRORS = new Set(['ERR_JWKS_TIMEOUT', 'ERR_JWKS_INVALID', 'ERR_JOSE_GENERIC']);

function keysUnavailable(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  // fetch() itself rejects with a TypeError (no JOSE code) when the provider cannot be reached.
  return typeof code === 'string' ? KEY_SET_ERRORS.has(code) : error instanceof TypeError;
}

class KeysUnavailable extends Error {
  constructor() {
    super("the identity provider's keys (OUTBOARD_JWKS_URL) could not be fetched; retry later");
  }
}

/** A verifier for HS256 (`secret`) and, when given, RS256/ES256 (`jwksUrl`). */
export function createVerifier(secret: string, jwksUrl?: string): TokenVerifier {
  const key = new TextEncoder().encode(secret);
  const jwks = jwksUrl ? createRemoteJWKSet(new URL(jwksUrl)) : undefined;
  return {
    async verify(token) {
      if (token.length > 8192) return unauthorized('token is too long');
      let alg: string | undefined;
      try {
        alg = decodeProtectedHeader(token).alg;
      } catch {
        return unauthorized('token is malformed');
      }
      try {
        if (alg && HMAC_ALGS.includes(alg)) {
          const { payload } = await jwtVerify(token, key, { algorithms: HMAC_ALGS, requiredClaims: ['exp', 'sub'] });
          return toPrincipal(payload);
        }
        if (alg && jwks && JWKS_ALGS.includes(alg)) {
          const { payload } = await jwtVerify(token, jwks, { algorithms: JWKS_ALGS, requiredClaims: ['exp', 'sub'] }).catch((error: unknown) => {
            throw keysUnavailable(error) ? new KeysUnavailable() : error;
          });
          return toPrincipal(payload);
        }
        return unauthorized(`token algorithm ${JSON.stringify(alg ?? null)} is not allowed`);
      } catch (error) {
        // The provider being away says nothing about the token: not UNAUTHORIZED (a renewal, a count toward a block), but retry later.
        if (error instanceof KeysUnavailable) return { ok: false, error: outboardError('ENGINE_ERROR', error.message) };
        return unauthorized(refusal(error));
      }
    },
  };
}

/**
 * Signs an HS256 token for `user` in `session` (or `*`) with `role`, valid
 * `ttlSeconds` (or until `expiresAt`, ms since the epoch); `invite` ties it to
 * an invite (see server/auth/invites.ts).
 */
export async function mintToken(secret: string, claims: { user: string; session: string; role: Role; ttlSeconds?: number; expiresAt?: number; invite?: string }): Promise<string> {
  const exp = claims.expiresAt !== undefined ? Math.floor(claims.expiresAt / 1000) : Math.floor(Date.now() / 1000) + (claims.ttlSeconds ?? 3600);
  return new SignJWT({ sid: claims.session, role: claims.role, ...(claims.invite ? { inv: claims.invite } : {}) })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(claims.user)
    .setIssuedAt()
    .setExpirationTime(exp)
    .sign(new TextEncoder().encode(secret));
}

/** Whether a principal may act in `sessionId`. */
export function inScope(principal: Principal, sessionId: string): boolean {
  return principal.session === '*' || principal.session === sessionId;
}

const RANK: Record<Role, number> = { viewer: 0, editor: 1, owner: 2, admin: 3 };

/** Whether `role` is at least `needed` (admin > owner > editor > viewer). */
export function atLeast(role: Role, needed: Role): boolean {
  return RANK[role] >= RANK[needed];
}

/** A forbidden/unauthorized error for HTTP answers. */
export function forbidden(message: string): OutboardError {
  return outboardError('FORBIDDEN', message);
}

/** The bearer token of an Authorization header, or undefined. */
export function bearer(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return match?.[1];
}
