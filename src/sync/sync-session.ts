import { parseSessionDocument, type StampedOp } from '../model/index.ts';
import type { OutboardError } from '../protocol/errors.ts';
import { newId } from '../protocol/ids.ts';
import type { ClientMessage, MetersData, OpBroadcast, PresenceData, Role } from '../protocol/messages.ts';
import { Heartbeat } from './heartbeat.ts';
import { fetchSession, type RelayHttpOptions } from './http.ts';
import { Access, CLOSE_INVITE_REVOKED, CLOSE_TOKEN_EXPIRED, linkEnded } from './access.ts';
import { canEdit, canPublish } from './jwt.ts';
import { Roster } from './presence.ts';
import { Publisher } from './publisher.ts';
import { RelaySocket, type Incoming } from './relay-socket.ts';
import { Replica } from './replica.ts';
import { Sender } from './sender.ts';
import type { SyncSessionOptions, SyncState, SyncStatus } from './types.ts';
import { Outgoing } from './outgoing.ts';
import { readBroadcast } from './wire.ts';
import { RemoteGestures } from './remote-gestures.ts';

/**
 * Keeps one session in step with the relay, local-first: loads the outbox,
 * publishes an owner's copy ({@link Publisher}), joins with `since` = the
 * last seq seen, applies snapshots and remote ops through the model, and
 * hands the outbox to the {@link Sender} after SYNCED. This class is the
 * lifecycle and the frame dispatch; the jobs live beside it.
 */
export class SyncSession {
  readonly replica = new Replica();
  readonly roster = new Roster();
  readonly #gestures = new RemoteGestures();
  readonly socket: RelaySocket;
  #state: SyncState = 'offline';
  #role: Role;
  #userId: string;
  #refusal: OutboardError | null = null;
  readonly #access: Access;
  #synced = false;
  #stopped = false;
  readonly #sender: Sender;
  readonly #publisher: Publisher;
  readonly #heartbeat: Heartbeat;
  /** What presence last said this member touches, and whether its audio is on: a resent presence keeps both. */
  #touching: PresenceData['touching'] = null;
  #audio: boolean;
  /** Connections lost after they were synced, for diagnostics. */
  drops = 0;
  /** Which of [base, ...relays] this client uses now. */
  #relay = 0;

  constructor(private readonly o: SyncSessionOptions) {
    this.#role = o.credential.claims.role;
    this.#audio = o.audio ?? false;
    this.#userId = o.credential.claims.sub;
    this.#access = new Access(o.credential, o.fallback ?? null, o.onToken);
    const send = (m: ClientMessage) => this.#send(m);
    this.#sender = new Sender({
      sessionId: o.sessionId, replica: this.replica, outbox: o.outbox,
      canSend: () => this.#synced && this.canEdit,
      rollback: () => this.#rollback(),
      changed: () => this.#emit(),
      refused: (error, op) => this.o.onRefused?.(error, op),
      stuck: () => this.socket.abandon(),
    }, send);
    this.#publisher = new Publisher({
      sessionId: o.sessionId, host: o.host, replica: this.replica, outbox: o.outbox,
      http: () => this.#http,
      merged: () => {
        this.#rollback();
        this.#emit();
      },
      refused: (error) => this.o.onRefused?.(error, undefined),
    });
    this.#heartbeat = new Heartbeat({
      send: (id) => send({ id, type: 'AUTH', session_id: o.sessionId, data: { token: this.#access.token } }),
      lost: () => this.socket.abandon(),
    }, o.heartbeatMs, o.heartbeatTimeoutMs);
    this.socket = new RelaySocket({
      url: () => this.#url(),
      // Until an owner's copy is merged, each attempt publishes first: a join would create the session empty.
      prepare: async () => {
        if (this.#publisher.needed) await this.#publisher.publish();
      },
      WebSocket: o.WebSocket,
      ...(o.backoff ? { backoff: o.backoff } : {}),
      ...(o.diagnostics ? { tap: o.diagnostics.tap(o.sessionId, () => this.#userId) } : {}),
    }, {
      frame: (m) => this.#onFrame(m),
      open: () => this.#setState('connecting'),
      closed: (code, opened, reason) => {
        // An attempt that never opened: that node is down (or refuses), the next attempt tries the next one.
        if (!opened) this.#relay += 1;
        this.#onClosed(code, opened, reason);
      },
      invalid: (raw, reason) => this.o.onInvalidFrame?.(raw, reason),
    });
  }

  /** The current status. */
  get status(): SyncStatus {
    return {
      state: this.#state, waiting: this.replica.pending.length, stuck: this.#sender.stuckOps,
      role: this.#role, userId: this.#userId, refusal: this.#refusal,
    };
  }

  /** Whether this member may change the session. */
  get canEdit(): boolean {
    return canEdit(this.#role);
  }

  /** The last heartbeat round trip (ms), for diagnostics. */
  get rttMs(): number | null {
    return this.#heartbeat.rttMs;
  }

  /** The relay origin in use. */
  get #base(): string {
    const all = [this.o.base, ...(this.o.relays ?? [])];
    return all[this.#relay % all.length]!;
  }

  get #http(): RelayHttpOptions {
    return { base: this.#base, token: this.#access.token, ...(this.o.fetch ? { fetch: this.o.fetch } : {}) };
  }

  /** Loads the outbox, publishes when needed, then connects (and reconnects until {@link stop}). */
  start(): Promise<void> {
    return this.#begin();
  }

  /** Disconnects for good. */
  stop(): void {
    this.#stopped = true;
    this.#heartbeat.stop();
    this.#sender.stop();
    this.socket.stop();
    this.roster.clear();
    this.#setState('offline');
  }

  /** Tries the relay now instead of waiting out the backoff ("Retry now", the page came back online or visible). */
  retryNow(): void {
    // Stuck while connected: the connection itself is suspect; a fresh one resumes and resends.
    if (this.#sender.stuckOps > 0) this.socket.abandon();
    // Synced by its own account: a socket the OS closed under a sleeping page can look open for
    // minutes, so the relay is asked now (no answer within the heartbeat's timeout gives it up).
    else this.#heartbeat.checkNow();
    this.socket.retryNow();
  }

  async #begin(): Promise<void> {
    if (this.canEdit) for (const op of await this.o.outbox.list(this.o.sessionId)) this.#queue(op);
    this.#emit();
    if (this.#stopped) return;
    // An owner's copy is merged into the relay's before anything replaces it: a session made
    // offline, or one the relay lost (a wiped data dir), keeps everything this device has.
    this.#publisher.needed = canPublish(this.#role);
    if (this.#access.expired && !this.#access.refresh()) {
      // Past the link's lifetime: nothing to join with. Every edit stays queued for a new link to this session.
      this.#refusal = linkEnded('this invite link has expired');
      this.#setState('offline');
      return;
    }
    this.#setState('connecting');
    this.socket.start();
  }

  #url(): string {
    const q = new URLSearchParams({ session: this.o.sessionId });
    // Resume only from a document we hold; otherwise ask for a snapshot.
    if (this.replica.confirmed) q.set('since', String(this.replica.seq));
    q.set('token', this.#access.token);
    return `${this.#base.replace(/^http/, 'ws')}/ws?${q.toString()}`;
  }

  /** A durable local op was applied (and appended to the outbox): send it when synced. */
  submit(op: StampedOp): void {
    if (!this.canEdit || !this.#queue(op)) return;
    // On the wire first: the status listeners (the views) come after it.
    this.#sender.schedule();
    this.#emit();
  }

  /** Queues an op (compacted per scalar, see {@link Replica.queue}); entries stored before the outbox compacted go too. */
  #queue(op: StampedOp): boolean {
    const { added, dropped } = this.replica.queue(op, (id) => !this.#sender.out.isInFlight(id));
    if (dropped.length) void this.o.outbox.remove(this.o.sessionId, dropped);
    return added;
  }

  /** An in-gesture value: fanned out at once when synced, never queued (the gesture's final op is). */
  sendEphemeral(op: StampedOp): void {
    if (!this.#synced || !this.canEdit) return;
    this.#sender.out.ephemeral(op);
  }

  /** Tells the others what this member is touching (null when released). */
  sendPresence(touching: PresenceData['touching']): void {
    this.#touching = touching ?? null;
    if (!this.#synced) return;
    const data: PresenceData = { touching: this.#touching, audio: this.#audio, ...(this.o.name ? { name: this.o.name } : {}) };
    this.#send({ id: newId('pr'), type: 'PRESENCE', session_id: this.o.sessionId, data });
  }

  /** Tells the others whether this device plays the session (with presence, now and from then on). */
  setAudio(on: boolean): void {
    if (on === this.#audio) return;
    this.#audio = on;
    this.sendPresence(this.#touching);
  }

  /** Sends this audio host's levels (never queued: when they cannot go now, newer ones follow in 33 ms). */
  sendMeters(data: MetersData): void {
    if (!this.#synced) return;
    // `type` first: the relay picks the frame's budget from how it starts (METERS_PREFIX).
    this.socket.send({ type: 'METERS', id: newId('mt'), session_id: this.o.sessionId, data });
  }

  /** Every frame leaves here: the pacing window counts them all, as the relay does. */
  #send(message: ClientMessage): boolean {
    if (!this.socket.send(message)) return false;
    this.#sender.window.record();
    return true;
  }

  #setState(state: SyncState): void {
    this.#state = state;
    this.#emit();
  }

  #emit(): void {
    this.o.onStatus?.(this.status);
  }

  #onClosed(code: number, opened: boolean, reason: string): void {
    if (this.#synced) this.drops += 1;
    this.#synced = false;
    this.#heartbeat.stop();
    this.#sender.disconnected();
    this.roster.clear();
    this.o.onPresence?.(this.roster);
    if (code === CLOSE_INVITE_REVOKED) {
      this.#refusal = linkEnded(reason || 'the owner revoked this invite');
      this.socket.stop();
    } else if (code === CLOSE_TOKEN_EXPIRED && !this.#access.refresh()) {
      // No token left to try: say so and wait for a new link (the socket reconnects by itself after a refresh).
      this.#refusal = linkEnded('the link has expired');
      this.socket.stop();
    }
    this.#setState('offline');
    if (!opened && code !== CLOSE_TOKEN_EXPIRED) void this.#diagnose();
  }

  /** Browsers hide why a handshake failed; the same request over HTTP tells (expired token, no such session). */
  async #diagnose(): Promise<void> {
    const res = await fetchSession(this.#http, this.o.sessionId);
    let refusal = !res.ok && res.error.code !== 'ENGINE_ERROR' && !(res.error.code === 'SESSION_NOT_FOUND' && canPublish(this.#role))
      ? res.error : null;
    if (refusal?.code === 'UNAUTHORIZED') {
      // An access token refused: the link's own token gets the next attempt. Refused too: the link has ended.
      if (this.#access.refresh()) refusal = null;
      else {
        refusal = linkEnded(refusal.message);
        this.socket.stop();
        this.#setState('offline');
      }
    }
    if (refusal?.code !== this.#refusal?.code || refusal?.message !== this.#refusal?.message) {
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
        if (m.data.max_messages_per_second !== undefined) this.#sender.window.setLimit(m.data.max_messages_per_second);
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
        if (this.#publisher.needed && this.o.host.doc) {
          // The publish at start could not reach the relay: merge our copy now, before the snapshot replaces it.
          void this.#publisher.publish().then((published) => published || this.#rollback());
          return;
        }
        this.#rollback();
        return;
      }
      case 'SYNCED':
        this.#synced = true;
        this.replica.seq = Math.max(this.replica.seq, m.seq);
        // In-gesture values of a member that dropped mid-gesture are not in the relay's document: start clean.
        if (!this.#publisher.inProgress) {
          this.#gestures.clear();
          this.#rollback();
        }
        this.#sender.connected();
        this.#setState('synced');
        // Announce ourselves: the relay lists a member to the others once it has sent presence.
        this.sendPresence(null);
        this.#sender.flush();
        this.#heartbeat.start();
        return;
      case 'ack':
        if (!this.#heartbeat.answered(m.id)) this.#sender.ack(m.id, m.seq);
        return;
      case 'error':
        this.#onError(m.id, m.data);
        return;
      case 'PRESENCE':
        if (this.roster.update(m.data)) this.o.onPresence?.(this.roster);
        // Gone mid-gesture, on every connection of theirs: the values they left here are not the relay's.
        if (m.data.left && !this.roster.members.some((p) => p.userId === m.data.user_id) && this.#gestures.left(m.data.user_id)) this.#rollback();
        return;
      case 'METERS':
        this.o.onMeters?.(m.data);
        return;
      case 'TOKEN':
        // The relay renewed our access: the next heartbeat and the next join use it.
        this.#access.adopt(m.data.token);
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
    const { op, seq, ephemeral, changedBy } = read.value;
    if (ephemeral) {
      this.#gestures.moved(op, changedBy);
      this.o.host.applyRemote(op);
      return;
    }
    this.#gestures.settled(op);
    // Our own op replayed after a dropped connection: its ack was lost, the op is done.
    if (this.#sender.ack(op.id, seq)) return;
    if (this.replica.isPending(op.id)) {
      // One op of a BATCH of ours: confirmed by the replay, never sent again.
      this.replica.confirm([op.id], seq);
      void this.o.outbox.remove(this.o.sessionId, [op.id]);
      this.#emit();
      return;
    }
    if (seq <= this.replica.seq && this.replica.confirmed) return; // seen already
    this.replica.applyRemote(op, seq);
    this.o.host.clock.observe(op.hlc);
    this.o.host.applyRemote(op);
  }

  #onError(id: string | undefined, error: OutboardError): void {
    // The heartbeat's answer says the relay is there; a refused token shows as a 4401 close, not here.
    if (this.#heartbeat.answered(id)) return;
    if (id !== undefined && this.#sender.error(id, error)) return;
    if (id !== undefined && Outgoing.isEphemeralId(id)) {
      // An in-gesture value refused: drop the stale in-gesture values shown; the final value is durable anyway.
      this.#rollback();
      return;
    }
    // Presence is best effort (a rate limit on it is no news); anything else: tell, change nothing.
    if (id?.startsWith('pr_')) return;
    this.o.onRefused?.(error, undefined);
  }

  #rollback(): void {
    const rebuilt = this.replica.rebuild();
    if (rebuilt) this.o.host.replaceDocument(rebuilt);
  }
}
