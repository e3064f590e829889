/**
 * One authenticated WebSocket member: reads frames, enforces the per-message
 * rules of SPEC §7 (size via ws's maxPayload, rate, role, scope), and hands
 * ops to the session hub. Every refusal is a typed error frame; protocol
 * violations also count toward the IP's block.
 */
import type { WebSocket, RawData } from 'ws';
import { outboardError, type OutboardError } from '../../src/protocol/errors.ts';
import { METERS_MAX_PER_SECOND, METERS_PREFIX, type Role } from '../../src/protocol/messages.ts';
import type { AnyOp } from '../../src/protocol/ops.ts';
import { parseClientMessage } from '../../src/protocol/parse.ts';
import type { Result } from '../../src/protocol/errors.ts';
import type { AccessToken } from '../auth/access.ts';
import { inScope, type Principal, type TokenVerifier } from '../auth/tokens.ts';
import type { RelayConfig } from '../config.ts';
import { MessageBudget } from '../limits/budget.ts';
import type { ConnectionGuard } from '../limits/guard.ts';
import type { Logger } from '../log.ts';
import { ackFrame, errorFrame } from '../session/frames.ts';
import { SESSION_DELETED_CLOSE, type Member } from '../session/hub.ts';
import type { RelayObserver } from '../session/observer.ts';
import type { Hub } from '../session/types.ts';
import { Outbox, type Outgoing } from '../session/outbox.ts';

/** Close codes the relay uses besides the standard ones. */
export const CLOSE = { tokenExpired: 4401, inviteRevoked: 4403, sessionDeleted: SESSION_DELETED_CLOSE, tooSlow: 1013, goingAway: 1001, missedPong: 1011 } as const;

/** What a connection needs from the relay. */
export interface ConnectionDeps {
  readonly config: RelayConfig;
  readonly guard: ConnectionGuard;
  readonly verifier: TokenVerifier;
  readonly log: Logger;
  /** Counts a message for the admin view's rates. */
  countMessage(): void;
  readonly observer: RelayObserver;
  /** The next access token of an invited member (server/auth/access.ts); absent: tokens are never renewed. */
  renew?(principal: Principal): Promise<Result<AccessToken>>;
}

/** How long before its token expires an invited member gets the next one: 5 min, or half the life of a shorter token. */
const renewAhead = (lifeMs: number): number => Math.min(5 * 60_000, lifeMs / 2);

// setTimeout cannot wait longer than 2^31-1 ms (~24.8 days).
const MAX_TIMER_MS = 2 ** 31 - 1;

/** The client id of a frame we could not validate, so its error can still name it. */
function idOf(text: string): string | undefined {
  try {
    const id = (JSON.parse(text) as { id?: unknown }).id;
    return typeof id === 'string' && /^[A-Za-z0-9_-]{1,64}$/.test(id) ? id : undefined;
  } catch {
    return undefined;
  }
}

/** A member connected over a WebSocket. */
export class Connection implements Member {
  readonly user: string;
  role: Role;
  readonly maxMessagesPerSecond: number;
  alive = true;
  private readonly outbox: Outbox;
  private expiry: NodeJS.Timeout | undefined;
  private renewal: NodeJS.Timeout | undefined;
  private disposed = false;
  private readonly budget: MessageBudget;
  /** METERS frames have a budget of their own: an audio host's levels never use up its edits' rate. */
  private readonly meterBudget = new MessageBudget(METERS_MAX_PER_SECOND);

  constructor(
    readonly connectionId: string,
    private readonly ws: WebSocket,
    private principal: Principal,
    readonly ip: string,
    private readonly hub: Hub,
    private readonly deps: ConnectionDeps,
  ) {
    this.user = principal.user;
    this.role = principal.role;
    this.maxMessagesPerSecond = deps.config.maxMessagesPerSecond;
    this.budget = new MessageBudget(deps.config.maxMessagesPerSecond);
    const sink = {
      get bufferedAmount() {
        return ws.bufferedAmount;
      },
      // binary: false — a Buffer here is pre-encoded JSON text, and must go out as a text frame.
      send: (data: string | Buffer) => {
        // A string's length counts UTF-16 units: its byte count for ASCII JSON, near enough otherwise (no re-encoding here).
        deps.observer.frameSent(data.length);
        ws.send(data, { binary: false });
      },
    };
    this.outbox = new Outbox(sink, deps.config.sendBufferBytes, deps.config.sendQueueMax, deps.config.sendQueueMaxBytes, () => {
      deps.log.warn({ connection: connectionId, ip }, 'receiver fell too far behind; dropped');
      ws.close(CLOSE.tooSlow, 'too far behind; reconnect with since');
    });
    this.armExpiry();
    // An invited member trades the link's token for a short-lived one at once, then renews it before it expires.
    if (principal.invite !== undefined) void this.renew();
    ws.on('message', (data, isBinary) => this.onMessage(data, isBinary));
    ws.on('pong', () => (this.alive = true));
  }

  deliver(out: Outgoing): void {
    this.outbox.push(out);
  }

  drop(code: number, reason: string): void {
    this.ws.close(code, reason);
  }

  /** Pings; a peer that did not answer the previous ping is cut off. */
  heartbeat(): void {
    if (!this.alive) {
      this.ws.terminate();
      return;
    }
    this.alive = false;
    this.ws.ping();
  }

  /** Cuts the socket without a closing handshake (shutdown deadline). */
  terminate(): void {
    this.ws.terminate();
  }

  /** The invite this member joined through, if any (its revocation closes this socket). */
  get invite(): string | undefined {
    return this.principal.invite;
  }

  /** Releases timers and the queue; called once the socket has closed. */
  dispose(): void {
    this.disposed = true;
    if (this.expiry) clearTimeout(this.expiry);
    if (this.renewal) clearTimeout(this.renewal);
    this.outbox.close();
  }

  /** Whether frames wait in this member's queue (its socket is not keeping up). */
  get backedUp(): boolean {
    return this.outbox.size > 0;
  }

  /**
   * Sends the next access token (a `TOKEN` frame) and adopts it. When the
   * invite no longer stands nothing is sent: the current token runs out and
   * the socket closes with 4401, and the device says its link has ended.
   */
  private async renew(): Promise<void> {
    const next = await this.deps.renew?.(this.principal);
    if (!next?.ok || this.disposed) return;
    this.principal = next.value.principal;
    this.role = next.value.principal.role;
    this.armExpiry();
    this.deliver({ text: JSON.stringify({ type: 'TOKEN', data: { token: next.value.token, expires_at: next.value.principal.expiresAt } }) });
    const life = next.value.principal.expiresAt - Date.now();
    if (this.renewal) clearTimeout(this.renewal);
    this.renewal = setTimeout(() => void this.renew(), Math.max(0, Math.min(life - renewAhead(life), MAX_TIMER_MS)));
  }

  /** Frames coalesced away in this member's backed-up queue. */
  get coalesced(): number {
    return this.outbox.coalesced;
  }

  private armExpiry(): void {
    if (this.expiry) clearTimeout(this.expiry);
    const wait = this.principal.expiresAt - Date.now();
    this.expiry = setTimeout(() => {
      if (Date.now() >= this.principal.expiresAt) this.ws.close(CLOSE.tokenExpired, 'token expired');
      else this.armExpiry();
    }, Math.max(0, Math.min(wait, MAX_TIMER_MS)));
  }

  private refuse(error: OutboardError, id: string | undefined, violation = false): void {
    this.deliver(errorFrame(error, id));
    if (violation) this.deps.guard.reject(this.ip, error.code === 'MESSAGE_TOO_LARGE' ? 'message_too_large' : 'invalid_message');
    else if (error.code === 'RATE_LIMITED') this.deps.guard.reject(this.ip, 'rate_limited');
  }

  private onMessage(data: RawData, isBinary: boolean): void {
    this.deps.countMessage();
    if (isBinary) {
      this.refuse(outboardError('INVALID_MESSAGE', 'binary frames are not accepted; send JSON text'), undefined, true);
      return;
    }
    // ws hands a Buffer (binaryType 'nodebuffer'); decode it in place rather than copying it first.
    const text = Array.isArray(data) ? Buffer.concat(data).toString('utf8') : Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.from(data).toString('utf8');
    // A BATCH is one frame, so it counts once against the rate. Levels past their own budget are dropped
    // without an answer: the next frame (33 ms later) carries newer ones anyway.
    if (text.startsWith(METERS_PREFIX)) {
      if (this.meterBudget.take()) this.handle(text, true);
    } else if (this.budget.take()) this.handle(text, false);
    else this.refuse(outboardError('RATE_LIMITED', `more than ${this.deps.config.maxMessagesPerSecond} messages per second`), idOf(text));
  }

  /** `metered`: the frame was let in on the METERS budget (by how it starts), so it must be a METERS frame. */
  private handle(text: string, metered: boolean): void {
    if (this.ws.readyState !== this.ws.OPEN) return;
    const parsed = parseClientMessage(text);
    if (!parsed.ok) {
      this.refuse(parsed.error, idOf(text), true);
      return;
    }
    const msg = parsed.value;
    // JSON lets a later "type" key win: an op dressed as METERS would otherwise ride the levels' budget past the op rate.
    if (metered && msg.type !== 'METERS') {
      this.refuse(outboardError('INVALID_MESSAGE', `a frame starting ${METERS_PREFIX} must be a METERS frame, not ${msg.type}`, 'type'), msg.id, true);
      return;
    }
    if (msg.session_id !== this.hub.id) {
      this.refuse(outboardError('FORBIDDEN', `this connection is joined to session "${this.hub.id}"`, 'session_id'), msg.id);
      return;
    }
    if (msg.type === 'PRESENCE') {
      this.hub.setPresence(this, msg.data);
      return;
    }
    if (msg.type === 'METERS') {
      this.hub.meters(this, msg.data);
      return;
    }
    if (msg.type === 'AUTH') {
      void this.refresh(msg.id, msg.data.token);
      return;
    }
    if (this.role === 'viewer') {
      this.deps.observer.opReceived(msg.type);
      this.deps.observer.opRefused(msg.type, 'FORBIDDEN');
      this.refuse(outboardError('FORBIDDEN', 'viewers cannot change the session'), msg.id);
      return;
    }
    const op = { id: msg.id, type: msg.type, data: msg.data, ...(msg.hlc ? { hlc: msg.hlc } : {}) } as AnyOp;
    const result = this.hub.submit(op, this.user, { from: this, ephemeral: 'ephemeral' in msg && msg.ephemeral === true });
    if (!result.ok) this.refuse(result.error, msg.id);
  }

  /** AUTH: a fresh token for the same user and session keeps the socket open past the old expiry. */
  private async refresh(id: string, token: string): Promise<void> {
    const verified = await this.deps.verifier.verify(token);
    // Closed while the token was checked: nothing to answer, and no expiry timer to arm (one would keep
    // a stopping relay's process alive until the token ran out).
    if (this.disposed) return;
    if (!verified.ok) {
      if (verified.error.code === 'UNAUTHORIZED') this.deps.guard.reject(this.ip, 'unauthorized');
      this.deliver(errorFrame(verified.error, id));
      return;
    }
    const next = verified.value;
    if (next.user !== this.user || !inScope(next, this.hub.id)) {
      this.deps.guard.reject(this.ip, 'forbidden');
      this.deliver(errorFrame(outboardError('FORBIDDEN', 'the new token is for another user or session'), id));
      return;
    }
    this.principal = next;
    this.role = next.role;
    this.armExpiry();
    this.deliver(ackFrame(id, this.hub.committedSeq, false));
  }
}
