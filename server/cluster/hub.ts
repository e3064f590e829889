/**
 * One session on a cluster node. The authority is the session's Redis Stream:
 * this hub's document is the snapshot plus the log applied in seq order, a
 * cache any node rebuilds the same way. Every op goes stamp -> validate ->
 * append (Lua, compare-and-set on the head, so it is validated against the
 * document at exactly the seq before it) -> consume. A node consumes its own
 * appends (from the script's reply; a catch-up reads them from the stream)
 * exactly like other nodes' (from the channel), in seq order, so its document
 * is always the fold of the log; an op of its own found in the log is acked
 * to its sender and fanned out to the others. In-gesture values and presence
 * go over the channel only, never into the log.
 */
import { outboardError, type OutboardError, type Result } from '../../src/protocol/errors.ts';
import type { MetersData, PresenceData } from '../../src/protocol/messages.ts';
import { isGestureValue, type AnyOp } from '../../src/protocol/ops.ts';
import type { SessionDocument } from '../../src/protocol/session.ts';
import { apply, stampOp, type Applied, type HlcClock, type StampedOp } from '../../src/model/index.ts';
import type { Logger } from '../log.ts';
import { ackFrame, errorFrame, metersFrame, opFrame, snapshotFrame, syncedFrame, welcomeFrame } from '../session/frames.ts';
import { clockSkew, SESSION_DELETED_CLOSE, type Accepted, type Change, type Member, type SubmitOptions } from '../session/hub.ts';
import { addsElement, documentTooLarge } from '../session/document-size.ts';
import { countOp, type RelayObserver } from '../session/observer.ts';
import type { Hub } from '../session/types.ts';
import type { RedisStore } from '../store/redis.ts';
import { decodeChannel, decodeValue, encodeChannel, encodeValue, type LogOp, type ValueFrame } from './channel.ts';
import { ClusterPresence } from './presence.ts';

/** What a cluster hub needs from its node. */
export interface ClusterHubContext {
  readonly clock: HlcClock;
  readonly nodeId: string;
  readonly store: RedisStore;
  readonly log: Logger;
  /** Ops a resume replays (and the log kept behind each snapshot for it); further behind gets a SNAPSHOT. */
  readonly replayMax: number;
  readonly snapshotEvery: number;
  /** Op ids remembered for deduplication, in ops behind the newest snapshot. */
  readonly dedupWindow: number;
  /** Largest document (JSON bytes) an op that adds an element may leave (see session/document-size.ts). */
  readonly maxDocumentBytes: number;
  /** The hub no longer matches Redis: the registry drops it. */
  broken(hub: ClusterHub): void;
  /** `n` ops of this node became durable in one append. */
  appended(n: number): void;
  /** Counts this node's ops for its metrics. */
  readonly observer: RelayObserver;
}

interface Pending {
  readonly op: StampedOp;
  readonly text: string;
  readonly user: string;
  readonly from: Member | undefined;
  readonly done: ((outcome: Result<Accepted>) => void) | undefined;
  /** When it arrived (performance.now()), for the ack latency metric. */
  readonly at: number;
  /** The document this op was last applied to, and what that gave: applying it to the very same object again would give the same, so it is reused. */
  before: SessionDocument;
  applied: Applied;
}

/** The first byte of an in-gesture value's and of a METERS message on the channel (see channel.ts). */
const KIND_VALUE = 'e'.charCodeAt(0);
const KIND_METERS = 'm'.charCodeAt(0);

/** Ops fetched per XRANGE while catching up. */
const CATCH_UP_PAGE = 1000;

const storageDown = () => outboardError('ENGINE_ERROR', 'the relay cannot reach its storage (Redis); retry later');

/** One session's live state on a cluster node. */
export class ClusterHub implements Hub {
  readonly members = new Set<Member>();
  private readonly presence: ClusterPresence;
  private readonly listeners = new Set<(change: Change) => void>();
  /** Listeners that follow the hub while it is loaded but do not keep it loaded (the AG-UI delta history). */
  private readonly unpinned = new Set<(change: Change) => void>();
  private readonly endListeners = new Set<() => void>();
  /** The newest logged ops, for resumes without a round trip to Redis. */
  private recent: LogOp[] = [];
  private queue: Pending[] = [];
  private inflight: Pending[] = [];
  private appending = false;
  private flushScheduled = false;
  private catching: Promise<void> | undefined;
  private snapshotting = false;
  private waiters: (() => void)[] = [];
  /** The document with the queued and in-flight ops applied, for early refusals; rebuilt after remote ops. */
  private tentative: SessionDocument | undefined;
  broken = false;
  /** The channel prefix of this node's appends. */
  private readonly ownOps: string;
  /** What follows the kind letter in every channel message of this node: its id and a space. */
  private readonly ownTag: Buffer;

  constructor(
    readonly id: string,
    private document: SessionDocument,
    private seq: number,
    private snapshotSeq: number,
    recent: readonly LogOp[],
    private readonly ctx: ClusterHubContext,
  ) {
    this.recent = recent.slice(-ctx.replayMax);
    this.ownOps = encodeChannel({ kind: 'o', node: ctx.nodeId });
    this.ownTag = Buffer.from(this.ownOps.slice(1));
    this.presence = new ClusterPresence(id, ctx.nodeId, (message) => ctx.store.publish(id, message), (frame, except) => {
      for (const m of this.members) if (m !== except) m.deliver(frame);
    });
  }

  get committedSeq(): number {
    return this.seq;
  }

  get doc(): SessionDocument {
    return this.document;
  }

  private get busy(): boolean {
    return this.appending || this.queue.length > 0 || this.inflight.length > 0 || this.catching !== undefined;
  }

  get idle(): boolean {
    return this.members.size === 0 && this.listeners.size === this.unpinned.size && !this.busy;
  }

  submit(input: AnyOp, user: string, options: SubmitOptions = {}): Result<void> {
    const refuse = countOp(this.ctx.observer, input.type);
    if (this.broken) return refuse(storageDown());
    const skew = clockSkew(input);
    if (skew) return refuse(skew);
    const base = this.tentative ?? this.rebuildTentative();
    const op = stampOp(base, input, this.ctx.clock);
    const { doc, result } = apply(base, op);
    if (result.status === 'error') return refuse(result.error);
    if (!options.sized && addsElement(op)) {
      const tooLarge = documentTooLarge(doc, this.ctx.maxDocumentBytes, `${op.type} "${op.id}"`);
      if (tooLarge) return refuse(tooLarge);
    }
    if (options.ephemeral === true && isGestureValue(op)) {
      const frame = opFrame(this.id, op, this.seq, user, true) as ValueFrame;
      // The other nodes get the frame this node sends, and forward it unparsed. Published before the local
      // fan-out: their members wait on the Redis hop as well, this node's do not.
      this.ctx.store.publish(this.id, encodeValue(this.ctx.nodeId, frame));
      for (const m of this.members) if (m !== options.from) m.deliver(frame);
      this.ctx.observer.opApplied(op.type, undefined);
      return { ok: true, value: undefined };
    }
    this.tentative = doc;
    this.queue.push({ op, text: JSON.stringify(op), user, from: options.from, done: options.done, at: performance.now(), before: base, applied: { doc, result } });
    this.scheduleFlush();
    return { ok: true, value: undefined };
  }

  /**
   * One flush at the end of this turn, for every op submitted in it (none while an append is out: its loop takes
   * what queued). A promise job, not queueMicrotask, which makes an AsyncResource per call.
   */
  private scheduleFlush(): void {
    if (this.appending || this.flushScheduled) return;
    this.flushScheduled = true;
    void Promise.resolve().then(() => {
      this.flushScheduled = false;
      return this.flush();
    });
  }

  private rebuildTentative(): SessionDocument {
    let doc = this.document;
    for (const p of [...this.inflight, ...this.queue]) doc = this.applyPending(p, doc).doc;
    this.tentative = doc;
    return doc;
  }

  /** `p` applied to `doc`: remembered from last time when `doc` is the same document. */
  private applyPending(p: Pending, doc: SessionDocument): Applied {
    if (p.before !== doc) {
      p.before = doc;
      p.applied = apply(doc, p.op);
    }
    return p.applied;
  }

  /** Appends everything queued in one script call; one call in flight per session, so ops keep their order. */
  private async flush(): Promise<void> {
    if (this.appending || this.queue.length === 0 || this.broken) return;
    this.appending = true;
    try {
      while (this.queue.length > 0 && !this.broken) {
        // Validate against the document at the head this append claims; ops that stopped applying are refused.
        let doc = this.document;
        const batch: Pending[] = [];
        for (const p of this.queue) {
          const { doc: next, result } = this.applyPending(p, doc);
          if (result.status === 'error') this.answer(p, { ok: false, error: result.error });
          else {
            doc = next;
            batch.push(p);
          }
        }
        this.queue = [];
        // A copy: consume() takes answered ops out of inflight while `batch` keeps the order of the script's reply.
        this.inflight = [...batch];
        if (batch.length === 0) break;
        let reply;
        try {
          reply = await this.ctx.store.append(this.id, this.seq, this.ownOps, batch);
        } catch (error) {
          // Maybe appended, maybe not: the client keeps the op and retries, and the op id answers a retry with its first seq.
          this.ctx.log.warn({ err: error, session: this.id }, 'append failed; ops refused');
          for (const p of this.inflight) this.answer(p, { ok: false, error: storageDown() });
          this.inflight = [];
          continue;
        }
        if (reply.status === 'gone') {
          this.fail('the session was deleted', outboardError('SESSION_NOT_FOUND', `session "${this.id}" does not exist`));
          break;
        }
        if (reply.status === 'conflict') {
          // Another node appended first: read its ops, then validate ours again on top of them.
          this.queue = [...this.inflight, ...this.queue];
          this.inflight = [];
          await this.catchUp(reply.head);
          continue;
        }
        const logged: LogOp[] = [];
        reply.seqs.forEach((seq, i) => {
          const p = batch[i]!;
          if (seq > 0) logged.push({ seq, user: p.user, op: p.op });
          else {
            // A retry of an op already in the log: answered with its first seq, not applied again.
            this.inflight = this.inflight.filter((q) => q !== p);
            this.answer(p, { ok: true, value: { seq: -seq, superseded: false } });
          }
        });
        this.consume(logged);
        // A gap before our own entries: they are answered once the catch-up reads them.
        if (this.inflight.length > 0 && this.catching) await this.catching;
        // Whatever is still unanswered is in the log all the same (the script said so): ack it at its seq.
        for (const p of this.inflight) this.answer(p, { ok: true, value: { seq: reply.seqs[batch.indexOf(p)]!, superseded: false } });
        this.inflight = [];
        this.ctx.appended(logged.length);
        this.maybeSnapshot();
      }
    } finally {
      this.appending = false;
      this.inflight = [];
      this.settle();
    }
  }

  private answer(p: Pending, outcome: Result<Accepted>): void {
    if (outcome.ok) {
      p.from?.deliver(ackFrame(p.op.id, outcome.value.seq, outcome.value.superseded));
      this.ctx.observer.opApplied(p.op.type, (performance.now() - p.at) / 1000);
    } else {
      p.from?.deliver(errorFrame(outcome.error, p.op.id));
      this.ctx.observer.opRefused(p.op.type, outcome.error.code);
    }
    p.done?.(outcome);
  }

  /** Applies logged ops in seq order (skipping what is already applied); a gap is filled from the stream. */
  private consume(ops: readonly LogOp[]): void {
    for (const entry of ops) {
      if (entry.seq <= this.seq) continue;
      if (entry.seq !== this.seq + 1) {
        void this.catchUp(ops[ops.length - 1]!.seq);
        return;
      }
      // Own ops come back in the order they were sent: mostly the first in flight, taken off the front unsearched.
      const first = this.inflight[0];
      let mine: Pending | undefined;
      if (first && first.op.id === entry.op.id && first.user === entry.user) mine = this.inflight.shift();
      else {
        const at = this.inflight.findIndex((p) => p.op.id === entry.op.id && p.user === entry.user);
        mine = at >= 0 ? this.inflight.splice(at, 1)[0] : undefined;
      }
      const before = this.document;
      // An op of this node, validated on exactly this document before its append: its outcome is already known.
      const { doc, result } = mine ? this.applyPending(mine, before) : apply(before, entry.op);
      this.document = doc;
      this.seq = entry.seq;
      // Remote ops change what queued ops apply to; this node's own keep the tentative chain as it was.
      if (!mine) this.tentative = undefined;
      this.recent.push(entry);
      // One in, one out once full: shift() drops the front in place, where splice() moved the whole window per op.
      if (this.recent.length > this.ctx.replayMax) this.recent.shift();
      const frame = opFrame(this.id, entry.op, entry.seq, entry.user);
      for (const m of this.members) if (m !== mine?.from) m.deliver(frame);
      if (mine) {
        this.answer(mine, result.status === 'error' ? { ok: false, error: result.error } : { ok: true, value: { seq: entry.seq, superseded: result.status === 'superseded' } });
      }
      if (result.status === 'applied') for (const l of this.listeners) l({ seq: entry.seq, before, after: doc });
    }
  }

  /** Reads the stream after this hub's seq until `head` (at least); a stream that cannot supply it breaks the hub. */
  private catchUp(head = 0): Promise<void> {
    this.catching ??= (async () => {
      try {
        for (;;) {
          // The channel may move this.seq on while the read is out; consume() skips what it already applied.
          const from = this.seq;
          const entries = await this.ctx.store.range(this.id, from, CATCH_UP_PAGE);
          if (entries.length > 0 && entries[0]!.seq !== from + 1) {
            this.fail(`the log no longer holds seq ${from + 1} (trimmed or damaged)`);
            return;
          }
          this.consume(entries.map((e) => ({ seq: e.seq, user: e.user, op: JSON.parse(e.op) as StampedOp })));
          if (entries.length < CATCH_UP_PAGE) break;
        }
        if (this.seq < head) this.fail(`the log ends at seq ${this.seq}, the head is ${head} (stream deleted?)`);
      } catch (error) {
        this.fail(`reading the log failed: ${(error as Error).message}`);
      } finally {
        this.catching = undefined;
        this.settle();
      }
    })();
    return this.catching;
  }

  private maybeSnapshot(): void {
    if (this.snapshotting || this.seq - this.snapshotSeq < this.ctx.snapshotEvery) return;
    this.snapshotting = true;
    const seq = this.seq;
    this.ctx.store.snapshot(this.id, seq, JSON.stringify(this.document), this.ctx.replayMax, this.ctx.dedupWindow)
      .then((stored) => void (this.snapshotSeq = Math.max(this.snapshotSeq, stored)))
      .catch((error: unknown) => this.ctx.log.warn({ err: error, session: this.id }, 'snapshot failed; the next append retries'))
      .finally(() => {
        this.snapshotting = false;
        // Appends that landed while this one was out skipped their check: without this, a burst ending then
        // would leave up to two intervals behind the snapshot until the session's next op.
        if (!this.broken) this.maybeSnapshot();
      });
  }

  /** A message on the session's channel: logged ops (anyone's, own included), or another node's ephemeral frames. */
  onChannel(message: Buffer): void {
    if (this.broken) return;
    // Redis echoes this node's own messages back to it: dropped by their tag, undecoded. Its own appends are
    // consumed from the script's reply (a later op of another node that arrives first is a gap, and the catch-up
    // reads ours from the stream); its own values, levels and presence it has delivered here already.
    if (message.length > this.ownTag.length && message.compare(this.ownTag, 0, this.ownTag.length, 1, 1 + this.ownTag.length) === 0) return;
    // Values and levels are for members only: with none here (a session kept loaded for a while, or for HTTP
    // readers), they are not even decoded. Logged ops and presence are kept, for the document and later joiners.
    const kind = message[0];
    if ((kind === KIND_VALUE || kind === KIND_METERS) && this.members.size === 0) return;
    if (kind === KIND_VALUE) {
      const frame = decodeValue(message);
      if (frame) for (const m of this.members) m.deliver(frame);
      return;
    }
    const msg = decodeChannel(message.toString());
    if (!msg) return;
    if (msg.kind === 'o') return this.consume(msg.ops);
    if (msg.kind === 'm') {
      const frame = metersFrame(this.id, { connectionId: msg.connection }, msg.data);
      for (const m of this.members) m.deliver(frame);
    } else {
      this.presence.onRemote(msg);
    }
  }

  /** Members of nodes that are gone (killed: they said no goodbye) leave: their presence is cleared for everyone here. */
  forgetNodes(live: ReadonlySet<string>): void {
    this.presence.forgetNodes(live);
  }

  /**
   * Calls `callback` once nothing is pending and the stream has been read up
   * to now: a read on this node (GET, a publish's merge, an agent's snapshot)
   * then shows every op acked on any node before it, not only what the
   * channel has brought so far.
   */
  whenSettled(callback: () => void): void {
    if (this.broken || !this.ctx.store.up) return this.afterPending(callback);
    void this.catchUp().then(() => this.afterPending(callback));
  }

  private afterPending(callback: () => void): void {
    if (this.busy) this.waiters.push(callback);
    else callback();
  }

  private settle(): void {
    if (this.busy) return;
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }

  /** The hub no longer matches Redis (or Redis is gone): refuse what is pending, drop the members (they reconnect and reload). */
  fail(reason: string, error: OutboardError = storageDown()): void {
    if (this.broken) return;
    this.ctx.log.warn({ session: this.id, reason }, 'session dropped from this node');
    this.stop(error, 1011, 'storage unavailable; reconnect');
  }

  /** The session was deleted (on any node): pending ops refused, members closed with 4404 and `reason`, event streams ended. */
  end(reason: string): void {
    if (this.broken) return;
    this.stop(outboardError('SESSION_NOT_FOUND', `session "${this.id}" was deleted`), SESSION_DELETED_CLOSE, reason);
    for (const callback of this.endListeners) callback();
    this.endListeners.clear();
  }

  private stop(error: OutboardError, code: number, text: string): void {
    this.broken = true;
    for (const p of [...this.inflight, ...this.queue]) this.answer(p, { ok: false, error });
    this.inflight = [];
    this.queue = [];
    for (const m of this.members) m.drop(code, text);
    this.members.clear();
    this.ctx.broken(this);
    this.settle();
  }

  join(member: Member, since: number | undefined): void {
    if (this.broken) {
      member.drop(1011, 'storage unavailable; reconnect');
      return;
    }
    // The client saw a seq this node has not read yet (it was on another node): read the log first. A since
    // beyond the log's end (a bogus cursor, or acks Redis lost with appendfsync everysec) then gets a SNAPSHOT.
    if (since !== undefined && since > this.seq) {
      void this.catchUp().then(() => (this.broken ? member.drop(1011, 'storage unavailable; reconnect') : this.welcome(member, since)));
      return;
    }
    this.welcome(member, since);
  }

  private welcome(member: Member, since: number | undefined): void {
    const seq = this.seq;
    member.deliver(welcomeFrame(this.id, member.user, member.role, seq));
    const oldest = this.recent[0]?.seq ?? seq + 1;
    if (since !== undefined && since <= seq && since + 1 >= oldest && seq - since <= this.ctx.replayMax) {
      for (const e of this.recent) if (e.seq > since) member.deliver(opFrame(this.id, e.op, e.seq, e.user));
    } else {
      member.deliver(snapshotFrame(this.document, seq));
    }
    member.deliver(syncedFrame(seq));
    this.members.add(member);
    this.presence.replay(member);
  }

  leave(member: Member): void {
    this.members.delete(member);
    this.presence.leave(member);
  }

  /** An audio host's levels: to this node's other members at once, and to the other nodes' over pub/sub (never logged). */
  meters(member: Member, data: MetersData): void {
    const frame = metersFrame(this.id, member, data);
    for (const m of this.members) if (m !== member) m.deliver(frame);
    this.ctx.store.publish(this.id, encodeChannel({ kind: 'm', node: this.ctx.nodeId, connection: member.connectionId, data }));
  }

  setPresence(member: Member, data: PresenceData): void {
    this.presence.set(member, data);
  }

  subscribe(listener: (change: Change) => void, keepsLoaded = true): () => void {
    this.listeners.add(listener);
    if (!keepsLoaded) this.unpinned.add(listener);
    return () => {
      this.listeners.delete(listener);
      this.unpinned.delete(listener);
    };
  }

  onEnd(callback: () => void): () => void {
    this.endListeners.add(callback);
    return () => this.endListeners.delete(callback);
  }
}
