/**
 * The live sessions of this relay and their group commit. Every hub that
 * changed is written in one SQLite transaction — right after the socket read
 * that changed it, or, when a commit already ran in this event-loop turn, at
 * the end of the turn; only then are its ops acked. Under load that turns
 * thousands of ops into a handful of commits.
 */
import { outboardError, type Result } from '../../src/protocol/errors.ts';
import type { SessionDocument } from '../../src/protocol/session.ts';
import { apply, createSession, HlcClock, parseSessionDocument, type StampedOp } from '../../src/model/index.ts';
import type { Logger } from '../log.ts';
import type { SessionWrite, SqliteStore } from '../store/sqlite.ts';
import { mergeWithinLimit } from './document-size.ts';
import { SessionHub, type HubContext } from './hub.ts';
import { NO_OBSERVER, type RelayObserver } from './observer.ts';
import type { Sessions } from './types.ts';

/** How long an unused session stays loaded. */
const IDLE_GRACE_MS = 30_000;

/** Live sessions, loaded from the store on first use. */
export class SessionRegistry implements Sessions {
  private readonly hubs = new Map<string, SessionHub>();
  private readonly dirty = new Set<SessionHub>();
  private scheduled = false;
  private readonly releasing = new Map<SessionHub, NodeJS.Timeout>();
  /** Set once a commit ran in this event-loop turn; cleared in the turn's check phase. */
  private committedThisTurn = false;
  private readonly ctx: HubContext;
  /** Durable ops committed since start (for the admin view and the bench). */
  committedOps = 0;
  commits = 0;

  constructor(
    private readonly store: SqliteStore,
    private readonly log: Logger,
    options: { readonly snapshotEvery: number; readonly replayMax: number; readonly dedupWindow: number; readonly maxDocumentBytes: number; readonly nodeId: string; readonly observer?: RelayObserver },
  ) {
    this.ctx = {
      clock: new HlcClock(options.nodeId),
      snapshotEvery: options.snapshotEvery,
      replayMax: options.replayMax,
      dedupWindow: options.dedupWindow,
      maxDocumentBytes: options.maxDocumentBytes,
      schedule: (hub) => this.schedule(hub),
      opsAfter: (id, since, until) => this.store.opsAfter(id, since, until),
      observer: options.observer ?? NO_OBSERVER,
    };
  }

  async open(id: string): Promise<SessionHub | undefined> {
    return this.get(id);
  }

  async openOrCreate(id: string, creator?: string): Promise<SessionHub> {
    return this.getOrCreate(id, undefined, creator);
  }

  async drain(): Promise<void> {
    this.flush();
  }

  /** A live hub, loading it from the store; undefined when the session does not exist. */
  get(id: string): SessionHub | undefined {
    const live = this.hubs.get(id);
    if (live && !live.broken) return live;
    const stored = this.store.load(id);
    if (!stored) return undefined;
    const parsed = parseSessionDocument(stored.document);
    if (!parsed.ok) throw new Error(`stored session "${id}" is unreadable: ${parsed.error.message}`);
    let doc = parsed.value;
    // The snapshot may trail the head: replay the logged ops after it, exactly as they were applied.
    for (const row of this.store.opsAfter(id, stored.snapshotSeq)) doc = apply(doc, JSON.parse(row.op) as StampedOp).doc;
    const hub = new SessionHub(id, doc, stored.seq, stored.snapshotSeq, this.ctx);
    for (const { id: opId, seq } of this.store.opIdsAfter(id, Math.max(0, stored.seq - this.ctx.dedupWindow))) hub.remember(opId, seq);
    this.hubs.set(id, hub);
    return hub;
  }

  /** The hub of `id`, creating an empty session (owner/admin join, publish) when missing; `user` is its creator. */
  getOrCreate(id: string, name = 'Untitled session', user?: string): SessionHub {
    const existing = this.get(id);
    if (existing) return existing;
    const hub = new SessionHub(id, createSession({ id, name }), 0, 0, this.ctx, true, user);
    this.hubs.set(id, hub);
    return hub;
  }

  /** Merges a whole published document into `id` (creating it), op by op; resolves when durable. */
  async publish(id: string, incoming: SessionDocument, user: string): Promise<Result<{ seq: number; document: SessionDocument }>> {
    // Merged before a missing session is created: a refused publish leaves no empty session behind.
    const existing = this.get(id);
    const merged = mergeWithinLimit(existing?.doc ?? createSession({ id, name: incoming.name }), incoming, this.ctx.clock.now(), this.ctx.maxDocumentBytes);
    if (!merged.ok) return merged;
    const hub = existing ?? this.getOrCreate(id, incoming.name, user);
    // The merge applied each op to this very document (or to the same empty one); nothing runs in between, so each applies again here.
    for (const op of merged.value.ops) {
      const submitted = hub.submit(op, user, { sized: true });
      if (!submitted.ok) return submitted;
    }
    await new Promise<void>((resolve) => hub.whenSettled(resolve));
    if (hub.broken) return { ok: false, error: outboardError('ENGINE_ERROR', 'the relay could not store the session; retry later') };
    return { ok: true, value: { seq: hub.committedSeq, document: hub.doc } };
  }

  /**
   * Drops a hub nobody uses, after a grace period (scripts posting ops one
   * request at a time should not reload the session for each). It reloads
   * from the store on next use.
   */
  release(hub: SessionHub): void {
    if (!hub.idle || this.hubs.get(hub.id) !== hub || this.releasing.has(hub)) return;
    const timer = setTimeout(() => {
      this.releasing.delete(hub);
      if (hub.idle && this.hubs.get(hub.id) === hub) this.hubs.delete(hub.id);
    }, IDLE_GRACE_MS);
    timer.unref();
    this.releasing.set(hub, timer);
  }

  /** The loaded hub of `id`, if any (never loads one). */
  loaded(id: string): SessionHub | undefined {
    const hub = this.hubs.get(id);
    return hub && !hub.broken ? hub : undefined;
  }

  /**
   * Deletes a session: what is pending is committed first (so nothing is
   * written after the delete), its members are closed with `reason`,
   * its snapshot and log are removed. Afterwards the id is free. False when
   * it did not exist.
   */
  delete(id: string, reason: string): boolean {
    const hub = this.hubs.get(id);
    if (hub?.busy) this.flush();
    if (hub) {
      hub.end(reason);
      this.hubs.delete(id);
      const timer = this.releasing.get(hub);
      if (timer) clearTimeout(timer);
      this.releasing.delete(hub);
    }
    return this.store.remove(id) || hub !== undefined;
  }

  /** Live session count. */
  get live(): number {
    return this.hubs.size;
  }

  private schedule(hub: SessionHub): void {
    this.dirty.add(hub);
    if (this.scheduled) return;
    this.scheduled = true;
    // The first commit of a turn runs right after the socket read that brought the ops (a microtask): a lone
    // fader value waits for nothing. Any further ops in the same turn wait for its end (setImmediate), so
    // under load every socket's ops share one commit (one fsync at FULL).
    if (this.committedThisTurn) setImmediate(() => this.flush());
    else queueMicrotask(() => this.flush());
  }

  /** Writes every dirty hub in one transaction, then acks. Runs at the end of the turn, and on shutdown. */
  flush(): void {
    this.scheduled = false;
    if (!this.committedThisTurn) {
      this.committedThisTurn = true;
      setImmediate(() => (this.committedThisTurn = false));
    }
    const hubs = [...this.dirty];
    this.dirty.clear();
    if (hubs.length === 0) return;
    const writes = hubs.map((hub) => hub.takeWrite());
    const real = writes.filter((w): w is SessionWrite => w !== undefined);
    try {
      this.store.commit(real);
    } catch (error) {
      this.log.error({ err: error }, 'group commit failed; pending ops refused');
      const refusal = outboardError('ENGINE_ERROR', 'the relay could not store the op; retry later');
      for (const hub of hubs) {
        hub.failed(refusal);
        this.hubs.delete(hub.id);
      }
      return;
    }
    this.commits += real.length > 0 ? 1 : 0;
    for (const w of real) this.committedOps += w.ops.length;
    hubs.forEach((hub, i) => hub.committed(writes[i]));
    // A hub whose last member left while its ops were being committed is dropped now (it reloads on next use).
    for (const hub of hubs) this.release(hub);
  }
}
