/**
 * Which token a session joins with, and what to say when none works any
 * more. An invited device starts from its link's token; the relay hands it
 * short-lived access tokens over the socket (`TOKEN`), the newest of which it
 * joins with. A refused access token (the device was offline past it) is not
 * a dead end: the link's own token gets the next attempt. Only when that is
 * refused too has the link ended — and then every edit stays queued for a
 * new link to the same session.
 */
import { outboardError, type OutboardError } from '../protocol/errors.ts';
import type { Credential } from './credentials.ts';
import { decodeClaims, isExpired } from './jwt.ts';

/** Close codes the relay uses: the token expired; the owner revoked the invite (docs/protocol.md). */
export const CLOSE_TOKEN_EXPIRED = 4401;
export const CLOSE_INVITE_REVOKED = 4403;

/** The refusal shown once a link no longer works: the relay's reason, and that nothing typed is lost. */
export const linkEnded = (reason: string): OutboardError =>
  outboardError('UNAUTHORIZED', `${reason}. Your changes are kept on this device and are sent when you open a new link for this session.`);

/** The token in use and the link's own token to fall back on. */
export class Access {
  #current: Credential;

  /** `link`: the link's own token, kept for as long as the session runs (absent for the admin URL's token). */
  constructor(initial: Credential, private readonly link: Credential | null, private readonly onToken?: (token: string) => void) {
    this.#current = initial;
  }

  /** The token to join, heartbeat and call the HTTP API with. */
  get token(): string {
    return this.#current.token;
  }

  /** Whether the token in use has run out (a session reopened long after). */
  get expired(): boolean {
    return isExpired(this.#current.claims);
  }

  /** The relay handed a fresh access token over the socket: use and keep it. */
  adopt(token: string): void {
    const claims = decodeClaims(token);
    if (!claims) return;
    this.#current = { token, claims };
    this.onToken?.(token);
  }

  /** Switches to the link's own token after the one in use was refused; false when there is nothing left to try. */
  refresh(): boolean {
    const next = this.link;
    if (!next || next.token === this.#current.token || isExpired(next.claims)) return false;
    this.#current = next;
    return true;
  }
}
