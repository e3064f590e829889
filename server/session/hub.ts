/**
 * One live session on this relay: its document, its seq, its members. Every
 * op goes stamp -> apply (src/model) -> log -> ack/fan-out. Applying is
 * synchronous, so the in-memory document is always the log's head; acks and
 * broadcasts wait for the group commit (see registry.ts) that makes the op
 * durable, so nobody ever sees an op that a crash could take back.
 */
import { outboardError, type OutboardError, type Result } from '../../src/protocol/errors.ts';
import type { MetersData, PresenceData, Role } from '../../src/protocol/messages.ts';
import { isGestureValue, type AnyOp } from '../../src/protocol/ops.ts';
import type { SessionDocument } from '../../src/protocol/session.ts';
import { apply, stampOp, type HlcClock, type StampedOp } from '../../src/model/index.ts';
import type { LoggedOp, SessionWrite } from '../store/sqlite.ts';
import { ackFrame, errorFrame, metersFrame, opFrame, presenceFrame, snapshotFrame, syncedFrame, welcomeFrame } from './frames.ts';
import { addsElement, documentTooLarge } from './document-size.ts';
import { countOp, type RelayObserver } from './observer.ts';
import type { Outgoing } from './outbox.ts';
import type { Hub } from './types.ts';

/** A connected member, as the hub sees it. */
export interface Member {
  readonly connectionId: string;
  readonly user: string;
  readonly role: Role;
  /** The member's message rate limit, announced in WELCOME so its client paces under it. */
  readonly maxMessagesPerSecond?: number;
  deliver(out: Outgoing): void;
  /** Closes the member's connection (the hub can no longer serve it). */
  drop(code: number, reason: string): void;
}

/** What a committed op answers: its seq, and whether it lost to a newer write or removal. */
export interface Accepted {
  readonly seq: number;
  readonly superseded: boolean;
}

/** A committed, applied op, for the AG-UI stream. */
export interface Change {
  readonly seq: number;
  readonly before: SessionDocument;
  readonly after: SessionDocument;
}

/** An op sent again under an id already logged at `seq`. */
interface Retry {
  readonly id: string;
  readonly seq: number;
  readonly from: Member | undefined;
  readonly done: ((outcome: Result<Accepted>) => void) | undefined;
}

interface Pending {
  readonly seq: number;
  readonly op: StampedOp;
  readonly user: string;
  readonly from: Member | undefined;
  readonly ephemeral: boolean;
  readonly superseded: boolean;
  readonly before: SessionDocument;
  readonly after: SessionDocument;
  readonly done: ((outcome: Result<Accepted>) => void) | undefined;
  /** performance.now() at submit, for the ack latency. */
  readonly at: number;
}

/** The environment a hub runs in. */
export interface HubContext {
  readonly clock: HlcClock;
  readonly snapshotEvery: number;
  /** Most logged ops a resume replays; further behind gets a SNAPSHOT (kept below a receiver's queue bound, so a replay never overflows it). */
  readonly replayMax: number;
  /** How many of a session's newest durable op ids are remembered, so a retried op is answered with its first seq. */
  readonly dedupWindow: number;
  /** Largest document (JSON bytes) an op that adds an element may leave (see document-size.ts). */
  readonly maxDocumentBytes: number;
  /** Asks for a group commit at the end of this turn. */
  schedule(hub: SessionHub): void;
  /** Reads the log for a resume. */
  opsAfter(sessionId: string, since: number, until: number): LoggedOp[];
  readonly observer: RelayObserver;
}

/** Close code of a member whose session was deleted (the 4xxx range is the application's; 404 as in HTTP). */
export const SESSION_DELETED_CLOSE = 4404;

/** A client HLC further ahead of the relay's wall clock is refused: it would win every later write. */
const MAX_CLOCK_AHEAD_MS = 24 * 3600 * 1000;

export interface SubmitOptions {
  readonly from?: Member;
  readonly ephemeral?: boolean;
  readonly done?: (outcome: Result<Accepted>) => void;
  /** The caller measured the document this op leads to (a publish measures its merged document once). */
  readonly sized?: boolean;
}

/** An op (or a BATCH member) whose HLC is more than a day ahead of this relay's clock: it would win every later write. */
export function clockSkew(op: AnyOp): OutboardError | undefined {
  const limit = Date.now() + MAX_CLOCK_AHEAD_MS;
  const ahead = (hlc: string | undefined) => hlc !== undefined && Number(hlc.slice(0, 15)) > limit;
  if (ahead(op.hlc) || (op.type === 'BATCH' && op.data.ops.some((o) => ahead(o.hlc)))) {
    return outboardError('INVALID_MESSAGE', 'hlc is more than a day ahead of the relay clock', 'hlc');
  }
  return undefined;
}

/** One session's live state. */
export class SessionHub implements Hub {
  readonly members = new Set<Member>();
  private readonly presence = new Map<Member, PresenceData>();
  private readonly listeners = new Set<(change: Change) => void>();
  /** Listeners that follow the hub while it is loaded but do not keep it loaded (the AG-UI delta history). */
  private readonly unpinned = new Set<(change: Change) => void>();
  private readonly enders = new Set<() => void>();
  private pending: Pending[] = [];
  private joins: { member: Member; since: number | undefined }[] = [];
  private waiters: (() => void)[] = [];
  /**
   * The newest durable ops' ids -> their seq (pending ones included), oldest
   * first: a script or client that sends an op again after a lost answer
   * gets the first one's seq, and the op is not applied a second time (it
   * would have a new HLC, and overwrite what others did since).
   */
  private readonly ids = new Map<string, number>();
  /** Retries of ops still waiting for their commit: answered with it. */
  private retries: Retry[] = [];
  private created: string | undefined;
  /** Set when a commit failed: the hub no longer matches the store and must be reloaded. */
  broken = false;

  constructor(
    readonly id: string,
    private document: SessionDocument,
    private head: number,
    private snapshotSeq: number,
    private readonly ctx: HubContext,
    isNew = false,
    /** Who created a new session (the token's `sub`), stored so an owner can list their sessions. */
    private readonly createdBy?: string,
  ) {
    this.committedSeq = head;
    if (isNew) {
      this.created = JSON.stringify(document);
      ctx.schedule(this);
    }
  }

  /** Set once the session was deleted: it takes no more ops or members. */
  deleted = false;

  /** The last seq whose commit returned. */
  committedSeq: number;

  /** The document as of {@link committedSeq} when nothing is pending. */
  get doc(): SessionDocument {
    return this.document;
  }

  /** Whether anything waits for a commit. */
  get busy(): boolean {
    return this.pending.length > 0 || this.created !== undefined;
  }

  /**
   * Stamps and applies one op. A refusal is answered at once and changes
   * nothing; an accepted op is answered through `done` after its commit.
   */
  submit(input: AnyOp, user: string, options: SubmitOptions = {}): Result<void> {
    const refuse = countOp(this.ctx.observer, input.type);
    if (this.deleted) return refuse(outboardError('SESSION_NOT_FOUND', `session "${this.id}" was deleted`));
    const skew = clockSkew(input);
    if (skew) return refuse(skew);
    const first = this.ids.get(input.id);
    if (first !== undefined && !(options.ephemeral === true && isGestureValue(input))) {
      this.retries.push({ id: input.id, seq: first, from: options.from, done: options.done });
      if (first <= this.committedSeq) queueMicrotask(() => this.answerRetries());
      return { ok: true, value: undefined };
    }
    const op = stampOp(this.document, input, this.ctx.clock);
    const before = this.document;
    const { doc, result } = apply(before, op);
    if (result.status === 'error') return refuse(result.error);
    if (!options.sized && addsElement(op)) {
      const tooLarge = documentTooLarge(doc, this.ctx.maxDocumentBytes, `${op.type} "${op.id}"`);
      if (tooLarge) return refuse(tooLarge);
    }
    // Only values inside a gesture may skip the log; anything else is durable.
    const ephemeral = options.ephemeral === true && isGestureValue(op);
    if (ephemeral && this.pending.length === 0 && this.created === undefined) {
      // An in-gesture value waits for no commit. With nothing ahead of it waiting for one (no pending op, no
      // waiting join), fanning it out now keeps every receiver's order and skips the hop to the group commit.
      const frame = opFrame(this.id, op, this.head, user, true);
      for (const m of this.members) if (m !== options.from) m.deliver(frame);
      this.ctx.observer.opApplied(op.type, undefined);
      return { ok: true, value: undefined };
    }
    if (!ephemeral) {
      this.head += 1;
      this.document = doc;
      this.remember(op.id, this.head);
    }
    this.pending.push({
      seq: this.head, op, user, from: options.from, ephemeral,
      superseded: result.status === 'superseded', before, after: ephemeral ? before : doc, done: options.done, at: performance.now(),
    });
    this.ctx.schedule(this);
    return { ok: true, value: undefined };
  }

  /** The writes of the next group commit (undefined when only ephemeral values wait). */
  takeWrite(): SessionWrite | undefined {
    const ops = this.pending.filter((p) => !p.ephemeral).map((p) => ({ seq: p.seq, op: JSON.stringify(p.op), user: p.user }));
    if (ops.length === 0 && this.created === undefined) return undefined;
    const snapshot = this.head - this.snapshotSeq >= this.ctx.snapshotEvery ? { document: JSON.stringify(this.document), seq: this.head } : undefined;
    return {
      sessionId: this.id, ops, seq: this.head,
      ...(this.created !== undefined ? { created: { document: this.created, seq: this.snapshotSeq, ...(this.createdBy !== undefined ? { by: this.createdBy } : {}) } } : {}),
      ...(snapshot ? { snapshot } : {}),
    };
  }

  /** The group commit returned: ack senders, fan out to the others, let waiting joins in. */
  committed(wrote: SessionWrite | undefined): void {
    if (wrote?.snapshot) this.snapshotSeq = wrote.snapshot.seq;
    this.created = undefined;
    const done = this.pending;
    this.pending = [];
    const now = performance.now();
    for (const p of done) {
      if (!p.ephemeral) this.committedSeq = p.seq;
      const frame = opFrame(this.id, p.op, p.seq, p.user, p.ephemeral);
      for (const m of this.members) if (m !== p.from) m.deliver(frame);
      this.ctx.observer.opApplied(p.op.type, p.ephemeral ? undefined : (now - p.at) / 1000);
      if (p.ephemeral) continue;
      if (p.from) p.from.deliver(ackFrame(p.op.id, p.seq, p.superseded));
      p.done?.({ ok: true, value: { seq: p.seq, superseded: p.superseded } });
      if (!p.superseded) for (const l of this.listeners) l({ seq: p.seq, before: p.before, after: p.after });
    }
    this.answerRetries();
    const joins = this.joins;
    this.joins = [];
    for (const j of joins) this.join(j.member, j.since);
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }

  /** Remembers the ids of logged ops (`seq` order), e.g. the newest ones of a session being loaded. */
  remember(id: string, seq: number): void {
    this.ids.delete(id);
    this.ids.set(id, seq);
    // A Map iterates in insertion order: the first key is the oldest op.
    while (this.ids.size > this.ctx.dedupWindow) this.ids.delete(this.ids.keys().next().value as string);
  }

  /** Acks the retries whose first op is committed (as the cluster does: at the first seq, not superseded). */
  private answerRetries(): void {
    if (this.retries.length === 0 || this.broken) return;
    const waiting: Retry[] = [];
    for (const r of this.retries) {
      if (r.seq > this.committedSeq) {
        waiting.push(r);
        continue;
      }
      r.from?.deliver(ackFrame(r.id, r.seq, false));
      r.done?.({ ok: true, value: { seq: r.seq, superseded: false } });
    }
    this.retries = waiting;
  }

  /** Calls `callback` once nothing is pending (at once when idle; after a failed commit too — check {@link broken}). */
  whenSettled(callback: () => void): void {
    if (this.busy) this.waiters.push(callback);
    else callback();
  }

  /** The group commit failed: refuse everything pending; the registry drops this hub. */
  failed(error: OutboardError): void {
    this.broken = true;
    const done = this.pending;
    this.pending = [];
    for (const p of done) {
      if (p.ephemeral) continue;
      this.ctx.observer.opRefused(p.op.type, error.code);
      p.from?.deliver(errorFrame(error, p.op.id));
      p.done?.({ ok: false, error });
    }
    for (const r of this.retries) {
      r.from?.deliver(errorFrame(error, r.id));
      r.done?.({ ok: false, error });
    }
    this.retries = [];
    for (const j of this.joins) j.member.drop(1011, 'storage unavailable');
    for (const m of this.members) m.drop(1011, 'storage unavailable');
    this.joins = [];
    this.members.clear();
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }

  /** Adds a member: WELCOME, then SNAPSHOT or the ops after `since`, then SYNCED. Waits for a pending commit. */
  join(member: Member, since: number | undefined): void {
    // An upgrade that looked the session up just before it was deleted.
    if (this.deleted) return member.drop(SESSION_DELETED_CLOSE, 'session deleted');
    if (this.busy) {
      this.joins.push({ member, since });
      return;
    }
    const seq = this.committedSeq;
    member.deliver(welcomeFrame(this.id, member.user, member.role, seq, member.maxMessagesPerSecond));
    // Seqs are contiguous, so seq - since is the number of ops to replay. Retention may have deleted the oldest
    // of them (a resume from before the window): when fewer rows come back than that, a SNAPSHOT it is.
    const replayable = since !== undefined && since <= seq && seq - since <= this.ctx.replayMax;
    const rows = replayable ? this.ctx.opsAfter(this.id, since, seq) : undefined;
    if (rows && rows.length === seq - (since ?? 0)) {
      for (const row of rows) member.deliver(opFrame(this.id, JSON.parse(row.op) as StampedOp, row.seq, row.user));
    } else {
      member.deliver(snapshotFrame(this.document, seq));
    }
    member.deliver(syncedFrame(seq));
    this.members.add(member);
    for (const [other, data] of this.presence) member.deliver(presenceFrame(this.id, other, data));
  }

  /** The session was deleted: close every member and joiner with {@link SESSION_DELETED_CLOSE} and `reason`. */
  end(reason: string): void {
    this.deleted = true;
    for (const j of this.joins) j.member.drop(SESSION_DELETED_CLOSE, reason);
    for (const m of this.members) m.drop(SESSION_DELETED_CLOSE, reason);
    this.joins = [];
    this.members.clear();
    this.presence.clear();
    for (const ended of [...this.enders]) ended();
    this.enders.clear();
  }

  /** Calls `callback` if the session is deleted (event streams end then); returns the unsubscribe. */
  onEnd(callback: () => void): () => void {
    this.enders.add(callback);
    return () => this.enders.delete(callback);
  }

  /** Removes a member and tells the others it left. */
  leave(member: Member): void {
    this.members.delete(member);
    // It may have left while its join waited for a commit.
    this.joins = this.joins.filter((j) => j.member !== member);
    if (this.presence.delete(member)) this.broadcast(presenceFrame(this.id, member, {}, true), member);
  }

  /** Fans out what a member is touching; never stored. */
  setPresence(member: Member, data: PresenceData): void {
    this.presence.set(member, data);
    this.broadcast(presenceFrame(this.id, member, data), member);
  }

  /** Fans an audio host's levels out to the others at once: never logged, never waiting for a commit. */
  meters(member: Member, data: MetersData): void {
    this.broadcast(metersFrame(this.id, member, data), member);
  }

  /** Sends one frame to every member but `except`. */
  broadcast(frame: Outgoing, except?: Member): void {
    for (const m of this.members) if (m !== except) m.deliver(frame);
  }

  /** Calls `listener` with every committed change; returns the unsubscribe. */
  subscribe(listener: (change: Change) => void, keepsLoaded = true): () => void {
    this.listeners.add(listener);
    if (!keepsLoaded) this.unpinned.add(listener);
    return () => {
      this.listeners.delete(listener);
      this.unpinned.delete(listener);
    };
  }

  /** Whether anyone is attached (members or streams). */
  get idle(): boolean {
    return this.members.size === 0 && this.listeners.size === this.unpinned.size && !this.busy;
  }
}
