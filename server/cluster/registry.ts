/**
 * The live sessions of a cluster node. A session is loaded from Redis (its
 * snapshot plus the log after it) when a member or a request first needs it,
 * and this node subscribes to that session's channel only then: a node
 * reads the sessions it has members for, and only those. Each session reads
 * its own stream with its own commands, so a deleted or damaged stream breaks
 * that session alone (its members are dropped and reload), never the fan-out
 * of the others. When Redis goes away every hub is dropped (members see
 * "reconnecting"); they reload from Redis once it is back.
 */
import { outboardError, type Result } from '../../src/protocol/errors.ts';
import type { SessionDocument } from '../../src/protocol/session.ts';
import { apply, createSession, HlcClock, parseSessionDocument, type StampedOp } from '../../src/model/index.ts';
import type { Logger } from '../log.ts';
import { mergeWithinLimit } from '../session/document-size.ts';
import { NO_OBSERVER, type RelayObserver } from '../session/observer.ts';
import { StorageDown, type Sessions } from '../session/types.ts';
import type { RedisStore } from '../store/redis.ts';
import { ClusterHub, type ClusterHubContext } from './hub.ts';

/** How long an unused session stays loaded (and subscribed). */
const IDLE_GRACE_MS = 30_000;

/** Options of a cluster registry. */
export interface ClusterOptions {
  readonly nodeId: string;
  readonly snapshotEvery: number;
  readonly replayMax: number;
  readonly dedupWindow: number;
  /** Largest session document an add or a publish may leave (OUTBOARD_MAX_DOCUMENT_BYTES). */
  readonly maxDocumentBytes: number;
  /** Counts this node's ops for its metrics. */
  readonly observer?: RelayObserver;
}

/** Sessions of this node, shared with the other nodes through Redis. */
export class ClusterRegistry implements Sessions {
  private readonly hubs = new Map<string, ClusterHub>();
  private readonly loading = new Map<string, Promise<ClusterHub | undefined>>();
  /** Channel messages that arrived while their session was loading, replayed into the new hub. */
  private readonly early = new Map<string, Buffer[]>();
  private readonly releasing = new Map<ClusterHub, NodeJS.Timeout>();
  private readonly ctx: ClusterHubContext;
  committedOps = 0;
  commits = 0;

  constructor(private readonly store: RedisStore, private readonly log: Logger, private readonly options: ClusterOptions) {
    this.ctx = {
      clock: new HlcClock(options.nodeId),
      nodeId: options.nodeId,
      store, log,
      replayMax: options.replayMax,
      snapshotEvery: options.snapshotEvery,
      dedupWindow: options.dedupWindow,
      maxDocumentBytes: options.maxDocumentBytes,
      observer: options.observer ?? NO_OBSERVER,
      broken: (hub) => this.drop(hub),
      appended: (n) => {
        this.committedOps += n;
        this.commits += 1;
      },
    };
    store.onMessage((id, message) => {
      const hub = this.hubs.get(id);
      if (hub) hub.onChannel(message);
      else this.early.get(id)?.push(message);
    });
    store.onState((up) => {
      if (up) return log.info('redis reachable again; sessions reload on use');
      log.error('redis unreachable; every session on this node dropped until it is back');
      for (const hub of [...this.hubs.values()]) hub.fail('redis connection lost');
    });
  }

  async open(id: string): Promise<ClusterHub | undefined> {
    const live = this.hubs.get(id);
    if (live && !live.broken) return live;
    if (!this.store.up) throw new StorageDown('the relay cannot reach its storage (Redis); retry later');
    let loading = this.loading.get(id);
    if (!loading) {
      loading = this.load(id).finally(() => this.loading.delete(id));
      this.loading.set(id, loading);
    }
    return loading;
  }

  private async load(id: string): Promise<ClusterHub | undefined> {
    this.early.set(id, []);
    try {
      // Subscribe first: an op appended while the state is read is then either in it or on the channel.
      await this.store.subscribe(id);
      const stored = await this.store.load(id, this.options.replayMax);
      if (!stored) {
        await this.store.unsubscribe(id);
        return undefined;
      }
      const parsed = parseSessionDocument(JSON.parse(stored.document));
      if (!parsed.ok) throw new Error(`stored session "${id}" is unreadable: ${parsed.error.message}`);
      let doc = parsed.value;
      const recent = stored.entries.map((e) => ({ seq: e.seq, user: e.user, op: JSON.parse(e.op) as StampedOp }));
      let seq = stored.snapshotSeq;
      for (const e of recent) {
        if (e.seq <= seq) continue;
        if (e.seq !== seq + 1) throw new Error(`the log of "${id}" skips from seq ${seq} to ${e.seq}`);
        doc = apply(doc, e.op).doc;
        seq = e.seq;
      }
      if (seq !== stored.seq) throw new Error(`the log of "${id}" ends at seq ${seq}, its head is ${stored.seq}`);
      const hub = new ClusterHub(id, doc, seq, stored.snapshotSeq, recent, this.ctx);
      this.hubs.set(id, hub);
      for (const message of this.early.get(id) ?? []) hub.onChannel(message);
      return hub;
    } finally {
      this.early.delete(id);
    }
  }

  /** The hub of `id`, creating an empty session (recording `creator` for the operator's listing) when missing. */
  openOrCreate(id: string, creator?: string): Promise<ClusterHub> {
    return this.#openOrCreate(id, 'Untitled session', creator);
  }

  async #openOrCreate(id: string, name: string, creator?: string): Promise<ClusterHub> {
    const existing = await this.open(id);
    if (existing) return existing;
    await this.store.create(id, JSON.stringify(createSession({ id, name })), creator);
    const created = await this.open(id);
    if (!created) throw new Error(`session "${id}" vanished right after it was created`);
    return created;
  }

  async publish(id: string, incoming: SessionDocument, user: string): Promise<Result<{ seq: number; document: SessionDocument }>> {
    if (!(await this.open(id))) {
      // Checked before the session is created: a refused publish leaves no empty session behind.
      const fresh = mergeWithinLimit(createSession({ id, name: incoming.name }), incoming, this.ctx.clock.now(), this.ctx.maxDocumentBytes);
      if (!fresh.ok) return fresh;
    }
    const hub = await this.#openOrCreate(id, incoming.name, user);
    await new Promise<void>((resolve) => hub.whenSettled(resolve));
    const merged = mergeWithinLimit(hub.doc, incoming, this.ctx.clock.now(), this.ctx.maxDocumentBytes);
    if (!merged.ok) return merged;
    const outcomes: Promise<Result<unknown>>[] = [];
    for (const op of merged.value.ops) {
      const answered = new Promise<Result<unknown>>((done) => {
        const submitted = hub.submit(op, user, { done, sized: true });
        if (!submitted.ok) done(submitted);
      });
      outcomes.push(answered);
    }
    for (const outcome of await Promise.all(outcomes)) if (!outcome.ok) return outcome;
    if (hub.broken) return { ok: false, error: outboardError('ENGINE_ERROR', 'the relay could not store the session; retry later') };
    return { ok: true, value: { seq: hub.committedSeq, document: hub.doc } };
  }

  release(hub: ClusterHub): void {
    if (!hub.idle || this.hubs.get(hub.id) !== hub || this.releasing.has(hub)) return;
    const timer = setTimeout(() => {
      this.releasing.delete(hub);
      if (hub.idle && this.hubs.get(hub.id) === hub) this.drop(hub);
    }, IDLE_GRACE_MS);
    timer.unref();
    this.releasing.set(hub, timer);
  }

  private drop(hub: ClusterHub): void {
    clearTimeout(this.releasing.get(hub));
    this.releasing.delete(hub);
    if (this.hubs.get(hub.id) !== hub) return;
    this.hubs.delete(hub.id);
    if (this.store.up) this.store.unsubscribe(hub.id).catch(() => undefined);
  }

  /** The loaded hub of `id`, if any (never loads one). */
  loaded(id: string): ClusterHub | undefined {
    const hub = this.hubs.get(id);
    return hub && !hub.broken ? hub : undefined;
  }

  /** Members connected to this node, per session that has any. */
  memberCounts(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const hub of this.hubs.values()) if (hub.members.size > 0) counts.set(hub.id, hub.members.size);
    return counts;
  }

  /** The session was deleted (by any node): its members here are closed with `reason`, its hub dropped. */
  end(id: string, reason: string): void {
    const hub = this.hubs.get(id);
    if (hub) return hub.end(reason);
    // A load that read the session just before the delete would otherwise serve it on.
    void this.loading.get(id)?.then((loaded) => loaded?.end(reason));
  }

  /** Called with the live nodes on every heartbeat: presence from nodes that died is cleared. */
  liveNodes(live: ReadonlySet<string>): void {
    for (const hub of this.hubs.values()) hub.forgetNodes(live);
  }

  async drain(): Promise<void> {
    await Promise.all([...this.hubs.values()].map((hub) => new Promise<void>((resolve) => hub.whenSettled(resolve))));
  }

  get live(): number {
    return this.hubs.size;
  }
}
