import { ROLES, type Role } from '../protocol/messages.ts';

/** What the app reads from a token's payload: for display, the role and the expiry only. */
export interface TokenClaims {
  readonly sub: string;
  /** A session id, or `*` for every session. */
  readonly sid: string;
  readonly role: Role;
  /** Seconds since the epoch. */
  readonly exp: number;
}

function base64UrlDecode(part: string): string {
  const b64 = part.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(part.length / 4) * 4, '=');
  const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
  return new TextDecoder().decode(bytes);
}

/**
 * Decodes a JWT's payload WITHOUT verifying it. The relay verifies every
 * token; the app only uses the claims to label the UI (role, expiry), so a
 * forged token can at worst mislabel its own screen. Answers null for
 * anything that is not a well-formed token with the claims we need.
 */
export function decodeClaims(token: string): TokenClaims | null {
  const parts = token.split('.');
  if (parts.length !== 3 || !parts[1]) return null;
  try {
    const payload = JSON.parse(base64UrlDecode(parts[1])) as Record<string, unknown>;
    const { sub, sid, role, exp } = payload;
    if (typeof sub !== 'string' || typeof sid !== 'string' || typeof exp !== 'number') return null;
    if (typeof role !== 'string' || !(ROLES as readonly string[]).includes(role)) return null;
    return { sub, sid, role: role as Role, exp };
  } catch {
    return null;
  }
}

/** Whether the claims have expired at `nowMs` (with a little slack for clock skew). */
export function isExpired(claims: TokenClaims, nowMs = Date.now(), skewMs = 5_000): boolean {
  return claims.exp * 1000 <= nowMs - skewMs;
}

/** Roles that may change a session. */
export function canEdit(role: Role): boolean {
  return role !== 'viewer';
}

/** Roles that may publish a session and mint invites. */
export function canPublish(role: Role): boolean {
  return role === 'owner' || role === 'admin';
}
