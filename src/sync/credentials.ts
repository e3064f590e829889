import { ID_PATTERN } from '../protocol/ids.ts';
import { DisplayNameSchema, INVITE_PURPOSES, type InvitePurpose } from '../protocol/invites.ts';
import { decodeClaims, isExpired, type TokenClaims } from './jwt.ts';

/** The settings surface credentials need (the app's LocalStore, or a map in tests). */
export interface SettingsPort {
  getSetting(key: string): Promise<unknown>;
  setSetting(key: string, value: unknown): Promise<void>;
}

/** A relay token and what its payload says. */
export interface Credential {
  readonly token: string;
  readonly claims: TokenClaims;
}

/** What an opened link carried. */
export interface LinkCredentials {
  /** `?session=`: the session to open (an invite). */
  readonly sessionId: string | null;
  readonly token: string;
  /** `?name=`: what the others see for this device (the invite dialog asked for it). */
  readonly name?: string;
  /** `?purpose=`: what an invite is for (`surface`: this device starts with audio off). */
  readonly purpose?: InvitePurpose;
}

/** Settings key of the token for one session, or `*` for the admin URL's token. */
export const tokenKey = (sessionId: string): string => `relay_token:${sessionId}`;

/** Settings key of the latest access token the relay handed an invited device for a session (a `TOKEN` frame). */
export const accessKey = (sessionId: string): string => `relay_access:${sessionId}`;

/** Settings key of the name this device shows to the others in a session (from its invite link). */
export const nameKey = (sessionId: string): string => `relay_name:${sessionId}`;

/**
 * Reads `?session=<id>&token=<jwt>[&name=…]` (an invite) or `?token=<jwt>`
 * (the admin URL `npm start` prints) and removes them from the address bar at
 * once, so the token does not stay in history, bookmarks or a shared screenshot.
 */
export function takeLinkCredentials(loc: Location = location, hist: History = history): LinkCredentials | null {
  const url = new URL(loc.href);
  const token = url.searchParams.get('token');
  const session = url.searchParams.get('session');
  const purpose = url.searchParams.get('purpose');
  if (token === null && session === null) return null;
  const name = DisplayNameSchema.safeParse(url.searchParams.get('name') ?? '');
  for (const param of ['token', 'session', 'purpose', 'name']) url.searchParams.delete(param);
  hist.replaceState(hist.state, '', `${url.pathname}${url.search}${url.hash}`);
  if (!token) return null;
  return {
    token, sessionId: session !== null && ID_PATTERN.test(session) ? session : null,
    ...((INVITE_PURPOSES as readonly (string | null)[]).includes(purpose) ? { purpose: purpose as InvitePurpose } : {}),
    ...(name.success ? { name: name.data } : {}),
  };
}

/**
 * Keeps a link's token: under its session (an invite), or under `*` (the
 * admin URL, a token for every session). A token for another session than
 * the link names is kept under the session it is for.
 */
export async function saveLinkCredentials(settings: SettingsPort, link: LinkCredentials): Promise<TokenClaims | null> {
  const claims = decodeClaims(link.token);
  if (!claims) return null;
  const key = claims.sid === '*' && !link.sessionId ? '*' : claims.sid === '*' ? link.sessionId ?? '*' : claims.sid;
  await settings.setSetting(tokenKey(key), link.token);
  // A new link replaces whatever the old one led to: its access token may belong to a revoked invite.
  if (key !== '*') await settings.setSetting(accessKey(key), null);
  if (key !== '*' && link.name) await settings.setSetting(nameKey(key), link.name);
  return claims;
}

/** The name this device shows to the others in `sessionId`, when its link gave one. */
export async function nameFor(settings: SettingsPort, sessionId: string): Promise<string | undefined> {
  const name = await settings.getSetting(nameKey(sessionId));
  return typeof name === 'string' ? name : undefined;
}

/** Keeps the access token the relay just handed this device for `sessionId`. */
export async function saveAccessToken(settings: SettingsPort, sessionId: string, token: string): Promise<void> {
  await settings.setSetting(accessKey(sessionId), token);
}

async function readToken(settings: SettingsPort, key: string): Promise<Credential | null> {
  const token = await settings.getSetting(key);
  if (typeof token !== 'string') return null;
  const claims = decodeClaims(token);
  return claims ? { token, claims } : null;
}

const fresh = (c: Credential | null, now: number): Credential | null => (c && !isExpired(c.claims, now) ? c : null);

/**
 * The token to use for a session: the latest access token the relay handed
 * this device, else the link's own, else the `*` one; expired tokens are
 * skipped.
 */
export async function credentialFor(settings: SettingsPort, sessionId: string, now = Date.now()): Promise<Credential | null> {
  return fresh(await readToken(settings, accessKey(sessionId)), now)
    ?? fresh(await readToken(settings, tokenKey(sessionId)), now)
    ?? fresh(await readToken(settings, tokenKey('*')), now);
}

/**
 * The link this device was given for a session, expired or not: what it
 * falls back to when an access token is refused, and what tells it, once
 * the link itself has ended, to say so rather than act as if never shared.
 */
export function linkFor(settings: SettingsPort, sessionId: string): Promise<Credential | null> {
  return readToken(settings, tokenKey(sessionId));
}
