import { parseSessionDocument, type HlcClock, type StampedOp } from '../model/index.ts';
import { outboardError, type OutboardError } from '../protocol/errors.ts';
import { newId } from '../protocol/ids.ts';
import type { OpBroadcast, PresenceData, Role } from '../protocol/messages.ts';
import type { SessionDocument } from '../protocol/session.ts';
import type { BackoffOptions } from './backoff.ts';
import type { Credential } from './credentials.ts';
import { fetchSession, publishSession, type RelayHttpOptions } from './http.ts';
import { canEdit, canPublish } from './jwt.ts';
import { Roster } from './presence.ts';
import { RelaySocket, type Incoming, type WebSocketCtor } from './relay-socket.ts';
import { Replica } from './replica.ts';
import { flatOps, opFrame, readBroadcast } from './wire.ts';

/** The document side of the app: what the sync feeds and reads. */
export interface SyncHost {
  /** The document the user sees (null while the invited session has not arrived). */
  readonly doc: SessionDocument | null;
  readonly clock: HlcClock;
  /** Applies a remote op through the model, like a local one (the clock observes its stamp). */
  applyRemote(op: StampedOp): void;
  /** Replaces the shown document: a snapshot arrived, or a refused op was rolled back. */
  replaceDocument(doc: SessionDocument): void;
}

/** The durable local ops waiting for the relay (IndexedDB in the app, a list in tests). */
export interface OutboxPort {
  /** Every waiting op of a session, in the order made (after pending local writes land). */
  list(sessionId: string): Promise<StampedOp[]>;
  /** Deletes the entries of these op ids. */
  remove(sessionId: string, opIds: readonly string[]): Promise<void>;
}

/** Connection state as the status chip says it. */
export type SyncState = 'offline' | 'connecting' | 'synced';

/** What the UI shows of the sync. */
export interface SyncStatus {
  readonly state: SyncState;
  /** Durable local ops not yet acked. */
  readonly waiting: number;
  /** The role the relay granted (WELCOME), else the token's claim. */
  readonly role: Role;
  readonly userId: string;
  /** Why the relay refused the connection, when it did. */
  readonly refusal: OutboardError | null;
}

/** Options for {@link SyncSession}. */
export interface SyncSessionOptions {
  readonly sessionId: string;
  readonly credential: Credential;
  /** The relay's origin, `http(s)://host:port`. */
  readonly base: string;
  readonly WebSocket: WebSocketCtor;
  readonly host: SyncHost;
  readonly outbox: OutboxPort;
  readonly backoff?: BackoffOptions;
  readonly fetch?: typeof fetch;
  /** Display name sent with presence. */
  readonly name?: string;
  /** Changes: status, presence, a refused op (already rolled back). */
  readonly onStatus?: (status: SyncStatus) => void;
  readonly onPresence?: (roster: Roster) => void;
  readonly onRefused?: (error: OutboardError, op: StampedOp | undefined) => void;
  readonly onInvalidFrame?: (raw: string, reason: string) => void;
}

/** Most ops in one BATCH frame when flushing the outbox; the byte budget keeps a frame under the relay's 64 KiB. */
const BATCH_OPS = 50;
const BATCH_BYTES = 48 * 1024;
/** Retry delay after RATE_LIMITED / ENGINE_ERROR answers (the op is kept, not dropped). */
const RETRY_MS = 1_000;
/** Close code the relay uses when the token expired (docs/protocol.md). */
const TOKEN_EXPIRED = 4401;
/** Ids of in-gesture frames: an error about one (a rate limit under a fast drag) is no news for the user. */
const EPHEMERAL_PREFIX = 'g';

interface Frame {
  /** Outbox entries the frame carries, in order. */
  readonly entries: StampedOp[];
  readonly ephemeral: boolean;
}

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
  /** Frames sent and not answered, by frame id (kept across a reconnect to recognise replayed ops of ours). */
  readonly #inflight = new Map<string, Frame>();
  #sendScheduled = false;
  #retryTimer: ReturnType<typeof setTimeout> | null = null;
  #needsPublish = false;

  constructor(private readonly o: SyncSessionOptions) {
    this.#role = o.credential.claims.role;
    this.#userId = o.credential.claims.sub;
    this.socket = new RelaySocket({
      url: () => this.#url(),
      // Until an owner's copy is merged, each attempt publishes first: a join would create the session empty.
      prepare: async () => {
        if (this.#needsPublish) await this.#publish();
      },
      WebSocket: o.WebSocket,
      ...(o.backoff ? { backoff: o.backoff } : {}),
    }, {
      frame: (m) => this.#onFrame(m),
      open: () => this.#setState('connecting'),
      closed: (code, opened) => this.#onClosed(code, opened),
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

  get #http(): RelayHttpOptions {
    return { base: this.o.base, token: this.o.credential.token, ...(this.o.fetch ? { fetch: this.o.fetch } : {}) };
  }

  /** Loads the outbox, publishes when needed, then connects (and reconnects until {@link stop}). */
  start(): Promise<void> {
    return this.#begin();
  }

  /** Disconnects for good. */
  stop(): void {
    this.#stopped = true;
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
    const res = await publishSession(this.#http, doc);
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
    return `${this.o.base.replace(/^http/, 'ws')}/ws?${q.toString()}`;
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
    const frame = { ...op, id: newId(EPHEMERAL_PREFIX) } as StampedOp;
    // The relay logs and acks ephemeral frames other than PLUGIN_PARAMETER; track them so the ack lands in the confirmed document.
    if (op.type !== 'PLUGIN_PARAMETER') this.#inflight.set(frame.id, { entries: [frame], ephemeral: true });
    this.socket.send(opFrame(this.o.sessionId, frame, true));
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
    this.#synced = false;
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
        this.#inflight.clear();
        // In-gesture values of a member that dropped mid-gesture are not in the relay's document: start clean.
        this.#rollback();
        this.#setState('synced');
        // Announce ourselves: the relay lists a member to the others once it has sent presence.
        this.sendPresence(null);
        this.#sendPending();
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
    if (this.#inflight.has(op.id)) {
      this.#onAck(op.id, seq);
      return;
    }
    if (seq <= this.replica.seq && this.replica.confirmed) return; // seen already
    this.replica.applyRemote(op, seq);
    this.o.host.clock.observe(op.hlc);
    this.o.host.applyRemote(op);
  }

  #onAck(id: string, seq: number): void {
    const frame = this.#inflight.get(id);
    this.#inflight.delete(id);
    if (!frame) {
      this.replica.seq = Math.max(this.replica.seq, seq);
      return;
    }
    if (frame.ephemeral) {
      for (const op of frame.entries) this.replica.applyRemote(op, seq);
      return;
    }
    const ids = frame.entries.map((e) => e.id);
    this.replica.confirm(ids, seq);
    void this.o.outbox.remove(this.o.sessionId, ids);
    this.#emit();
  }

  #onError(id: string | undefined, error: OutboardError): void {
    const frame = id === undefined ? undefined : this.#inflight.get(id);
    if (id !== undefined) this.#inflight.delete(id);
    if (!frame) {
      if (id?.startsWith(`${EPHEMERAL_PREFIX}_`)) {
        // An in-gesture value refused: drop the stale in-gesture values shown; the final value is durable anyway.
        this.#rollback();
        return;
      }
      // An error about no op of ours (a bad frame, presence): tell, change nothing.
      this.o.onRefused?.(error, undefined);
      return;
    }
    if (error.code === 'RATE_LIMITED' || error.code === 'ENGINE_ERROR') {
      // Not the op's fault: keep it and try again later.
      if (!frame.ephemeral) this.#retryLater();
      return;
    }
    if (frame.ephemeral) {
      this.#rollback();
      return;
    }
    if (frame.entries.length > 1) {
      // A BATCH is all-or-nothing: send its entries one by one so only the bad op is dropped.
      for (const entry of frame.entries) this.#sendFrame([entry]);
      return;
    }
    const op = frame.entries[0]!;
    this.replica.drop(op.id);
    void this.o.outbox.remove(this.o.sessionId, [op.id]);
    this.#rollback();
    this.o.onRefused?.(outboardError(error.code, error.message, error.field), op);
    this.#emit();
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

  /** Sends every pending op not in flight, in order, in BATCH frames. */
  #sendPending(): void {
    if (!this.#synced || !this.canEdit) return;
    const inFlight = new Set<string>();
    for (const f of this.#inflight.values()) for (const e of f.entries) inFlight.add(e.id);
    const todo = this.replica.pending.filter((p) => !inFlight.has(p.id));
    let chunk: StampedOp[] = [];
    let ops = 0;
    let bytes = 0;
    for (const entry of todo) {
      const n = flatOps(entry).length;
      const size = JSON.stringify(entry).length;
      if (chunk.length && (ops + n > BATCH_OPS || bytes + size > BATCH_BYTES)) {
        this.#sendFrame(chunk);
        chunk = [];
        ops = bytes = 0;
      }
      chunk.push(entry);
      ops += n;
      bytes += size;
    }
    if (chunk.length) this.#sendFrame(chunk);
  }

  #sendFrame(entries: StampedOp[]): void {
    if (entries.length === 1) {
      const op = entries[0]!;
      if (this.socket.send(opFrame(this.o.sessionId, op))) this.#inflight.set(op.id, { entries, ephemeral: false });
      return;
    }
    const id = newId('sb');
    const sent = this.socket.send({ id, type: 'BATCH', session_id: this.o.sessionId, data: { ops: entries.flatMap(flatOps) } });
    if (sent) this.#inflight.set(id, { entries, ephemeral: false });
  }
}
