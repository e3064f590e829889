import {
  apply, changeControl, changesOf, compileDocument, controlChange, createSession, HlcClock, stampOp, type ApplyResult, type EngineChange, type StampedOp,
} from '../model/index.ts';
import type { AudioEngineApi } from '../engine/types.ts';
import { newId } from '../protocol/ids.ts';
import type { AnyOp } from '../protocol/ops.ts';
import type { SessionDocument } from '../protocol/session.ts';
import type { OutboardError, Result } from '../protocol/errors.ts';
import type { LocalStore } from '../store/index.ts';
import { Emitter } from './emitter.ts';
import { compactionKey, readStoredOp } from '../sync/index.ts';
import type { ControlKey } from '../protocol/controls.ts';

const SAVE_DELAY_MS = 120;

/** Outbox entries compact per scalar: a newer value of the same register replaces the waiting one. */
const outboxKey = (op: unknown): string | null => compactionKey(op as StampedOp);

/** Options for {@link SessionController.dispatch}. */
export interface DispatchOptions {
  /**
   * A value inside a gesture (a fader being dragged): applied and projected
   * at once, but neither saved nor queued for sync; the gesture's final
   * value is dispatched durable.
   */
  readonly ephemeral?: boolean;
}

/** Detail of the `op` event: a local op that was applied (the sync ships it). */
export interface LocalOpDetail {
  readonly op: StampedOp;
  readonly ephemeral: boolean;
}

/** Detail of the `change` event: what changed, for listeners that care about only some of it. */
export interface DocumentChange {
  /** The document was replaced as a whole (opened, closed, a relay snapshot, a rollback): anything in it may differ. */
  readonly whole: boolean;
  /** The engine changes of the applied op, or of the whole document; computed once, when first asked. */
  changes(): readonly EngineChange[];
}

const NO_CHANGES = (): readonly EngineChange[] => [];

/** `compute`, run at most once. */
function once<T>(compute: () => T): () => T {
  let done = false;
  let value: T;
  return () => {
    if (!done) {
      value = compute();
      done = true;
    }
    return value;
  };
}

/** What the controller tells its listeners. */
export type SessionEvents = {
  /** Another session is about to replace the open one: what is still in flight on it lands now. */
  leaving: SessionDocument;
  /** The document changed (any change: local, remote, loaded). */
  change: DocumentChange;
  /** A local op was applied (the sync ships it). */
  op: LocalOpDetail;
  /** A local op was refused by the model. */
  'op-error': OutboardError;
  /** The engine failed to take a change. */
  'engine-error': unknown;
  /** The document was written to the store. */
  saved: void;
  /** Writing to the store failed. */
  'store-error': unknown;
};

/**
 * The one path every change takes: a gesture becomes an op, the op is
 * stamped and applied by `model/`, and the result goes to the views (a
 * `change` event), the engine (the op's engine changes, `changesOf`; a whole
 * document only on load or replacement, `compileDocument`) and the store
 * (the document, debounced, and every durable op appended to the outbox).
 */
export class SessionController extends Emitter<SessionEvents> {
  doc: SessionDocument | null = null;
  engine: AudioEngineApi | null = null;
  /** Set for a viewer's surface: every local change is refused (the relay would answer FORBIDDEN anyway). */
  readOnly = false;
  #saveTimer: ReturnType<typeof setTimeout> | null = null;
  #saving: Promise<void> = Promise.resolve();
  #outbox: Promise<void> = Promise.resolve();
  /** Controls this device's user holds (a finger or the mouse on them), with how many pointers hold each. */
  readonly #held = new Map<ControlKey, number>();

  constructor(readonly store: LocalStore, readonly clock: HlcClock) {
    super();
  }

  /** A device's clock node id is kept in settings so stamps stay unique per replica. */
  static async create(store: LocalStore): Promise<SessionController> {
    let node = await store.getSetting('node_id');
    if (typeof node !== 'string') {
      node = newId('n');
      await store.setSetting('node_id', node);
    }
    return new SessionController(store, new HlcClock(node as string));
  }

  /** Shows a document (opened, created or imported); notifies everyone. */
  load(doc: SessionDocument | null): void {
    const left = this.doc;
    // (Not on closing, load(null): that follows a deletion, which a write would undo.)
    if (left && doc && left.id !== doc.id) {
      // Listeners' last ops (a MIDI knob's resting value) go to the session being left, then it is written
      // at once: its debounced save would otherwise write the next session in its place.
      this.emit('leaving', left);
      this.#saveNow();
    }
    this.doc = doc;
    this.#project(doc ? once(() => compileDocument(doc)) : null, true);
  }

  /**
   * A stored session with the edits still waiting in its outbox applied. An op reaches the outbox at once
   * but the document only after the save's debounce, so a tab that crashed or was killed in between left
   * its newest edits there alone; they are the user's, and the relay gets them anyway. Ops the document
   * already holds are superseded and change nothing.
   */
  async read(id: string): Promise<Result<SessionDocument>> {
    const [got, waiting] = await Promise.all([this.store.getSession(id), this.store.listOutbox(id)]);
    if (!got.ok) return got;
    let doc = got.value;
    for (const row of waiting) {
      const op = readStoredOp(row.op, id);
      if (!op) continue;
      this.clock.observe(op.hlc);
      doc = apply(doc, op).doc;
    }
    // Written at once: once the relay acks those ops they leave the outbox, and the document must hold them.
    if (doc !== got.value) await this.store.putSession(doc);
    return { ok: true, value: doc };
  }

  /** Creates, saves and opens a new session. */
  async createSession(name: string): Promise<SessionDocument> {
    await this.flush();
    const doc = createSession({ id: newId('ses'), name });
    await this.store.putSession(doc);
    this.load(doc);
    return doc;
  }

  /** Stamps and applies one op (or BATCH) to the open session. */
  dispatch(op: AnyOp, options: DispatchOptions = {}): ApplyResult {
    const doc = this.doc;
    if (!doc) return { status: 'error', error: { code: 'SESSION_NOT_FOUND', message: 'no session is open' } };
    if (this.readOnly) {
      const error = { code: 'FORBIDDEN', message: 'this session is shared with you read-only' } as const;
      if (!options.ephemeral) this.emit('op-error', error);
      return { status: 'error', error };
    }
    const stamped: StampedOp = stampOp(doc, op, this.clock);
    const { doc: next, result } = apply(doc, stamped);
    if (result.status !== 'applied') {
      if (result.status === 'error') this.emit('op-error', result.error);
      return result;
    }
    this.doc = next;
    const changes = once(() => changesOf(doc, next, stamped));
    // This device's engine first, then the op leaves for the relay (the sync sends a durable op in this
    // call), then the views: on a surface, a key press is on the wire before the views re-render for it.
    // The outbox append is queued in this call too, so whatever waits for {@link outboxWritten} (the
    // sync's outbox reads, an ack's removal) waits for it.
    this.#project(changes, false, changes, () => this.emit('op', { op: stamped, ephemeral: options.ephemeral === true }));
    if (!options.ephemeral) this.#persist(next, stamped);
    return result;
  }

  /**
   * Applies an op from another device through the same model path (its
   * stamp is kept; the clock observes it). Saved like a local change, but
   * never queued for sync: it came from there.
   */
  applyRemote(op: StampedOp): void {
    const doc = this.doc;
    if (!doc) return;
    this.clock.observe(op.hlc);
    const { doc: next, result } = apply(doc, op);
    if (result.status !== 'applied') return;
    this.doc = next;
    const changes = once(() => changesOf(doc, next, op));
    // A held control keeps what its user hears: the remote value is in the document and lands on release.
    this.#project(changes, false, () => changes().filter((c) => !this.#isHeld(c)));
    this.#scheduleSave();
  }

  /** This device's user took hold of a control: remote values for it change neither its display nor its engine. */
  hold(key: ControlKey): void {
    this.#held.set(key, (this.#held.get(key) ?? 0) + 1);
  }

  /** The user let go of a control: the document's value (the latest remote one, or the user's own) reaches the engine. */
  release(key: ControlKey): void {
    const n = (this.#held.get(key) ?? 0) - 1;
    if (n > 0) {
      this.#held.set(key, n);
      return;
    }
    this.#held.delete(key);
    const change = this.doc ? controlChange(this.doc, key) : null;
    if (change && this.engine) this.#feed(this.engine, () => [change], false);
  }

  #isHeld(change: EngineChange): boolean {
    if (this.#held.size === 0) return false;
    const key = changeControl(change);
    return key !== null && this.#held.has(key);
  }

  /** Replaces the open document (a relay snapshot, or a rollback after a refused op) and saves it. */
  replaceDocument(doc: SessionDocument): void {
    this.doc = doc;
    this.#project(once(() => compileDocument(doc)), true);
    this.#scheduleSave();
  }

  /** Resolves once every outbox append started so far has landed (the sync reads the outbox after it). */
  outboxWritten(): Promise<void> {
    return this.#outbox;
  }

  /** Attaches the engine and hands it the current document. */
  attachEngine(engine: AudioEngineApi): void {
    this.engine = engine;
    const doc = this.doc;
    if (doc) this.#feed(engine, () => compileDocument(doc), true);
  }

  /** Resolves once the document and the outbox are written (tests await this before reloading). */
  async flush(): Promise<void> {
    this.#saveNow();
    await Promise.all([this.#saving, this.#outbox]);
    await this.store.pending();
  }

  /** Starts the debounced save now, if one is waiting. */
  #saveNow(): void {
    if (this.#saveTimer === null) return;
    clearTimeout(this.#saveTimer);
    this.#saveTimer = null;
    if (this.doc) this.#saving = this.store.putSession(this.doc).catch((e: unknown) => this.#storeError(e));
  }

  /**
   * Hands the engine what changed (`toEngine`, by default all of `changes`;
   * computed only when an engine is attached or a listener asks), runs
   * `beforeViews`, then tells the views. `whole`: the changes compile a
   * whole document.
   */
  #project(changes: (() => readonly EngineChange[]) | null, whole = false, toEngine = changes, beforeViews?: () => void): void {
    if (toEngine && this.engine) this.#feed(this.engine, toEngine, whole);
    beforeViews?.();
    this.emit('change', { whole, changes: changes ?? NO_CHANGES });
  }

  #feed(engine: AudioEngineApi, changes: () => readonly EngineChange[], whole: boolean): void {
    try {
      if (whole) engine.loadDocument(changes());
      else engine.applyChanges(changes());
    } catch (error) {
      this.emit('engine-error', error);
    }
  }

  #persist(doc: SessionDocument, op: StampedOp): void {
    this.#outbox = this.#outbox.then(() => this.store.appendOutbox(doc.id, [op], outboxKey)).catch((e: unknown) => this.#storeError(e));
    this.#scheduleSave();
  }

  #scheduleSave(): void {
    if (this.#saveTimer !== null) clearTimeout(this.#saveTimer);
    this.#saveTimer = setTimeout(() => {
      this.#saveTimer = null;
      const current = this.doc;
      if (current) this.#saving = this.store.putSession(current).catch((e: unknown) => this.#storeError(e));
      this.emit('saved');
    }, SAVE_DELAY_MS);
  }

  #storeError(error: unknown): void {
    this.emit('store-error', error);
  }
}
