import { parseSessionDocument, type StampedOp } from '../model/index.ts';
import { outboardError, type OutboardError } from '../protocol/errors.ts';
import { newId } from '../protocol/ids.ts';
import type { OpBroadcast, PresenceData, Role } from '../protocol/messages.ts';
import { fetchSession, publishSession, type RelayHttpOptions } from './http.ts';
import { canEdit, canPublish } from './jwt.ts';
import { Roster } from './presence.ts';
import { RelaySocket, type Incoming } from './relay-socket.ts';
import { Replica } from './replica.ts';
import type { SyncSessionOptions, SyncState, SyncStatus } from './types.ts';
import { Outgoing } from './outgoing.ts';
import { readBroadcast } from './wire.ts';

/** Retry delay after RATE_LIMITED / ENGINE_ERROR answers (the op is kept, not dropped). */
const RETRY_MS = 1_000;
/**
 * Reachability is judged by the relay answering, not by navigator.onLine: the
 * relay's own pings are invisible to browser code, so the client re-sends its
 * token (AUTH, which the relay acks) as a round trip it can time.
 */
const HEARTBEAT_MS = 20_000;
const HEARTBEAT_TIMEOUT_MS = 8_000;
/** Close code the relay uses when the token expired (docs/protocol.md). */
const TOKEN_EXPIRED = 4401;

/**
 * Keeps one session in step with the relay, local-first: loads the outbox,
 * publishes a session made offline (owner/admin), joins with `since` = the
 * last seq seen, applies snapshots and remote ops through the model, flushes
 * the outbox in order after SYNCED (BATCHes), deletes entries on ack, and
 * rolls back refused ops (document = confirmed + still-pending ops).
 */
export class SyncSession {
  readonly replica = new Replica();
  readonly roster = new Roster();
  readonly socket: RelaySocket;
  #state: SyncState = 'offline';
  #role: Role;
  #userId: string;
  #refusal: OutboardError | null = null;
  #synced = false;
  #stopped = false;
  readonly #out: Outgoing;
  /** A publish (PUT) is on its way: its answer, not a snapshot, decides the document. */
  #publishing = false;
  #sendScheduled = false;
  #retryTimer: ReturnType<typeof setTimeout> | null = null;
  #needsPublish = false;
  #beat: ReturnType<typeof setTimeout> | null = null;
  #beatDeadline: ReturnType<typeof setTimeout> | null = null;
  #beatId: string | null = null;
  #beatSentAt = 0;
  /** The last heartbeat round trip (ms), for diagnostics. */
  rttMs: number | null = null;
  /** Connections lost after they were synced, for diagnostics. */
  drops = 0;
  /** Which of [base, ...relays] this client uses now. */
  #relay = 0;

  constructor(private readonly o: SyncSessionOptions) {
    this.#role = o.credential.claims.role;
    this.#userId = o.credential.claims.sub;
    this.#out = new Outgoing(o.sessionId, (m) => this.socket.send(m));
    this.socket = new RelaySocket({
      url: () => this.#url(),
      // Until an owner's copy is merged, each attempt publishes first: a join would create the session empty.
      prepare: async () => {
        if (this.#needsPublish) await this.#publish();
      },
      WebSocket: o.WebSocket,
      ...(o.backoff ? { backoff: o.backoff } : {}),
      ...(o.diagnostics ? { tap: o.diagnostics.tap(o.sessionId, () => this.#userId) } : {}),
    }, {
      frame: (m) => this.#onFrame(m),
      open: () => this.#setState('connecting'),
      closed: (code, opened) => {
        // An attempt that never opened: that node is down (or refuses), the next attempt tries the next one.
        if (!opened) this.#relay += 1;
        this.#onClosed(code, opened);
      },
      invalid: (raw, reason) => this.o.onInvalidFrame?.(raw, reason),
    });
  }

  /** The current status. */
  get status(): SyncStatus {
    return { state: this.#state, waiting: this.replica.pending.length, role: this.#role, userId: this.#userId, refusal: this.#refusal };
  }

  /** Whether this member may change the session. */
  get canEdit(): boolean {
    return canEdit(this.#role);
  }

  /** The relay origin in use. */
  get #base(): string {
    const all = [this.o.base, ...(this.o.relays ?? [])];
    return all[this.#relay % all.length]!;
  }

  get #http(): RelayHttpOptions {
    return { base: this.#base, token: this.o.credential.token, ...(this.o.fetch ? { fetch: this.o.fetch } : {}) };
  }

  /** Loads the outbox, publishes when needed, then connects (and reconnects until {@link stop}). */
  start(): Promise<void> {
    return this.#begin();
  }

  /** Disconnects for good. */
  stop(): void {
    this.#stopped = true;
    this.#stopHeartbeat();
    if (this.#retryTimer !== null) clearTimeout(this.#retryTimer);
    this.socket.stop();
    this.roster.clear();
    this.#setState('offline');
  }

  async #begin(): Promise<void> {
    if (this.canEdit) for (const op of await this.o.outbox.list(this.o.sessionId)) this.replica.addPending(op);
    this.#emit();
    if (this.#stopped) return;
    // An owner's copy is merged into the relay's before anything replaces it: a session made
    // offline, or one the relay lost (a wiped data dir), keeps everything this device has.
    this.#needsPublish = canPublish(this.#role);
    if (this.#stopped) return;
    this.#setState('connecting');
    this.socket.start();
  }

  /**
   * Publishes the local document with PUT: the relay merges it exactly as
   * its edits would have been (LWW by the clocks in the document, removals
   * win), so publishing again is harmless, and the outbox entries it covers
   * are done. Answers false when the relay could not be reached (tried again
   * when the connection comes); a refusal is reported and not retried.
   */
  async #publish(): Promise<boolean> {
    const doc = this.o.host.doc;
    if (!doc || doc.id !== this.o.sessionId) {
      this.#needsPublish = false;
      return true;
    }
    const covered = this.replica.pending.map((p) => p.id);
    this.#publishing = true;
    const res = await publishSession(this.#http, doc).finally(() => (this.#publishing = false));
    if (!res.ok) {
      if (res.error.code === 'ENGINE_ERROR') return false;
      this.#needsPublish = false;
      this.o.onRefused?.(res.error, undefined);
      return false;
    }
    this.#needsPublish = false;
    // A snapshot may have come meanwhile; the merged document is at least as new (its seq says).
    if (res.value.seq >= this.replica.seq || !this.replica.confirmed) this.replica.setConfirmed(res.value.document, res.value.seq);
    this.replica.confirm(covered, res.value.seq);
    await this.o.outbox.remove(this.o.sessionId, covered);
    this.#rollback();
    this.#emit();
    return true;
  }

  #url(): string {
    const q = new URLSearchParams({ session: this.o.sessionId });
    // Resume only from a document we hold; otherwise ask for a snapshot.
    if (this.replica.confirmed) q.set('since', String(this.replica.seq));
    q.set('token', this.o.credential.token);
    return `${this.#base.replace(/^http/, 'ws')}/ws?${q.toString()}`;
  }

  /** A durable local op was applied (and appended to the outbox): send it when synced. */
  submit(op: StampedOp): void {
    if (!this.canEdit || !this.replica.addPending(op)) return;
    this.#emit();
    this.#scheduleSend();
  }

  /** An in-gesture value: fanned out at once when synced, never queued (the gesture's final op is). */
  sendEphemeral(op: StampedOp): void {
    if (!this.#synced || !this.canEdit) return;
    this.#out.ephemeral(op);
  }

  /** Tells the others what this member is touching (null when released). */
  sendPresence(touching: PresenceData['touching']): void {
    if (!this.#synced) return;
    const data: PresenceData = { touching: touching ?? null, ...(this.o.name ? { name: this.o.name } : {}) };
    this.socket.send({ id: newId('pr'), type: 'PRESENCE', session_id: this.o.sessionId, data });
  }

  #setState(state: SyncState): void {
    this.#state = state;
    this.#emit();
  }

  #emit(): void {
    this.o.onStatus?.(this.status);
  }

  #onClosed(code: number, opened: boolean): void {
    if (this.#synced) this.drops += 1;
    this.#synced = false;
    this.#stopHeartbeat();
    this.roster.clear();
    this.o.onPresence?.(this.roster);
    if (code === TOKEN_EXPIRED) {
      // Retrying with the same token cannot work: say so and wait for a new link.
      this.#refusal = outboardError('UNAUTHORIZED', 'the link has expired: ask for a new invite');
      this.socket.stop();
    }
    this.#setState('offline');
    if (!opened && code !== TOKEN_EXPIRED) void this.#diagnose();
  }

  /** Browsers hide why a handshake failed; the same request over HTTP tells (expired token, no such session). */
  async #diagnose(): Promise<void> {
    const res = await fetchSession(this.#http, this.o.sessionId);
    const refusal = !res.ok && res.error.code !== 'ENGINE_ERROR' && !(res.error.code === 'SESSION_NOT_FOUND' && canPublish(this.#role))
      ? res.error : null;
    if (refusal?.code !== this.#refusal?.code) {
      this.#refusal = refusal;
      this.#emit();
    }
  }

  #onFrame(m: Incoming): void {
    switch (m.type) {
      case 'WELCOME':
        this.#role = m.data.role;
        this.#userId = m.data.user_id;
        this.#refusal = null;
        this.#emit();
        return;
      case 'SNAPSHOT': {
        const doc = parseSessionDocument(m.data.document);
        if (!doc.ok) {
          this.o.onInvalidFrame?.('SNAPSHOT', doc.error.message);
          this.socket.restart();
          return;
        }
        this.replica.setConfirmed(doc.value, m.seq);
        if (this.#needsPublish && this.o.host.doc) {
          // The publish at start could not reach the relay: merge our copy now, before the snapshot replaces it.
          void this.#publish().then((published) => published || this.#rollback());
          return;
        }
        this.#rollback();
        return;
      }
      case 'SYNCED':
        this.#synced = true;
        this.replica.seq = Math.max(this.replica.seq, m.seq);
        // Whatever was in flight before the drop and did not come back in the replay is sent again (ops are idempotent).
        this.#out.inflight.clear();
        // In-gesture values of a member that dropped mid-gesture are not in the relay's document: start clean.
        if (!this.#publishing) this.#rollback();
        this.#setState('synced');
        // Announce ourselves: the relay lists a member to the others once it has sent presence.
        this.sendPresence(null);
        this.#sendPending();
        this.#scheduleHeartbeat();
        return;
      case 'ack':
        this.#onAck(m.id, m.seq);
        return;
      case 'error':
        this.#onError(m.id, m.data);
        return;
      case 'PRESENCE':
        if (this.roster.update(m.data)) this.o.onPresence?.(this.roster);
        return;
      case 'OP':
        this.#onBroadcast(m.op);
    }
  }

  #onBroadcast(m: OpBroadcast): void {
    const read = readBroadcast(m);
    if (!read.ok) {
      this.o.onInvalidFrame?.(JSON.stringify(m), read.error.message);
      return;
    }
    const { op, seq, ephemeral } = read.value;
    if (ephemeral) {
      this.o.host.applyRemote(op);
      return;
    }
    // Our own op replayed after a dropped connection: its ack was lost, the op is done.
    if (this.#out.inflight.has(op.id)) {
      this.#onAck(op.id, seq);
      return;
    }
    if (seq <= this.replica.seq && this.replica.confirmed) return; // seen already
    this.replica.applyRemote(op, seq);
    this.o.host.clock.observe(op.hlc);
    this.o.host.applyRemote(op);
  }

  #onAck(id: string, seq: number): void {
    if (id === this.#beatId) {
      this.#heartbeatAnswered();
      return;
    }
    const frame = this.#out.take(id);
    if (!frame) return;
    const ids = frame.entries.map((e) => e.id);
    this.replica.confirm(ids, seq);
    void this.o.outbox.remove(this.o.sessionId, ids);
    this.#emit();
  }

  #onError(id: string | undefined, error: OutboardError): void {
    if (id !== undefined && id === this.#beatId) {
      // The relay answered (it is there); a refused token shows as a 4401 close, not here.
      this.#heartbeatAnswered();
      return;
    }
    const frame = id === undefined ? undefined : this.#out.take(id);
    if (!frame) {
      if (id !== undefined && Outgoing.isEphemeralId(id)) {
        // An in-gesture value refused: drop the stale in-gesture values shown; the final value is durable anyway.
        this.#rollback();
        return;
      }
      // Presence is best effort (a rate limit on it is no news); anything else: tell, change nothing.
      if (id?.startsWith('pr_')) return;
      this.o.onRefused?.(error, undefined);
      return;
    }
    if (error.code === 'RATE_LIMITED' || error.code === 'ENGINE_ERROR') {
      // Not the op's fault: keep it and try again later.
      this.#retryLater();
      return;
    }
    if (frame.entries.length > 1) {
      // A BATCH is all-or-nothing: send its entries one by one so only the bad op is dropped.
      for (const entry of frame.entries) this.#out.frame([entry]);
      return;
    }
    const op = frame.entries[0]!;
    this.replica.drop(op.id);
    void this.o.outbox.remove(this.o.sessionId, [op.id]);
    this.#rollback();
    this.o.onRefused?.(outboardError(error.code, error.message, error.field), op);
    this.#emit();
  }

  #scheduleHeartbeat(): void {
    this.#stopHeartbeat();
    this.#beat = setTimeout(() => this.#heartbeat(), this.o.heartbeatMs ?? HEARTBEAT_MS);
  }

  #heartbeat(): void {
    this.#beat = null;
    const id = newId('hb');
    const sentAt = Date.now();
    this.#beatId = id;
    if (!this.socket.send({ id, type: 'AUTH', session_id: this.o.sessionId, data: { token: this.o.credential.token } })) return;
    this.#beatDeadline = setTimeout(() => {
      this.#beatDeadline = null;
      // No answer: the connection is gone even if the socket has not said so.
      this.socket.abandon();
    }, this.o.heartbeatTimeoutMs ?? HEARTBEAT_TIMEOUT_MS);
    this.#beatSentAt = sentAt;
  }

  #heartbeatAnswered(): void {
    this.rttMs = Date.now() - this.#beatSentAt;
    this.#beatId = null;
    if (this.#beatDeadline !== null) clearTimeout(this.#beatDeadline);
    this.#beatDeadline = null;
    this.#scheduleHeartbeat();
  }

  #stopHeartbeat(): void {
    if (this.#beat !== null) clearTimeout(this.#beat);
    if (this.#beatDeadline !== null) clearTimeout(this.#beatDeadline);
    this.#beat = this.#beatDeadline = null;
    this.#beatId = null;
  }

  #rollback(): void {
    const rebuilt = this.replica.rebuild();
    if (rebuilt) this.o.host.replaceDocument(rebuilt);
  }

  #retryLater(): void {
    if (this.#retryTimer !== null) return;
    this.#retryTimer = setTimeout(() => {
      this.#retryTimer = null;
      this.#sendPending();
    }, RETRY_MS);
  }

  #scheduleSend(): void {
    if (this.#sendScheduled) return;
    this.#sendScheduled = true;
    // Ops made in one task (a BATCH of UI changes, a burst of keys) leave in one frame.
    queueMicrotask(() => {
      this.#sendScheduled = false;
      this.#sendPending();
    });
  }

  /** Sends every pending op not in flight, in order. */
  #sendPending(): void {
    if (this.#synced && this.canEdit) this.#out.flush(this.replica.pending);
  }
}
