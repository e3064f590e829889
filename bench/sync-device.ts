/**
 * Test harness for the sync client: a device = a document host (the app's
 * session controller reduced to stamp + apply), an in-memory outbox and
 * settings, and a SyncSession over the `ws` package against a real relay.
 */
import { WebSocket } from 'ws';
import { apply, createSession, HlcClock, stampOp, type StampedOp } from '../src/model/index.ts';
import type { AnyOp } from '../src/protocol/ops.ts';
import type { SessionDocument } from '../src/protocol/session.ts';
import type { Role } from '../src/protocol/messages.ts';
import type { OutboardError } from '../src/protocol/errors.ts';
import { decodeClaims } from '../src/sync/jwt.ts';
import { SyncSession } from '../src/sync/sync-session.ts';
import { compactionKey } from '../src/sync/compaction.ts';
import type { OutboxPort, SyncHost, SyncSessionOptions } from '../src/sync/types.ts';
import type { WebSocketCtor } from '../src/sync/relay-socket.ts';
import { mintToken } from '../server/auth/tokens.ts';
import { RELAY_SECRET } from './secret.ts';

/** Fast retries so a restarted relay is found within a few hundred ms. */
export const FAST_BACKOFF = { baseMs: 20, capMs: 200, random: () => 0.5 };

/** The app's IndexedDB outbox in memory: appended in order, compacted per scalar the same way. */
class MemOutbox implements OutboxPort {
  entries: StampedOp[] = [];
  append(op: StampedOp): void {
    const key = compactionKey(op);
    if (key !== null) this.entries = this.entries.filter((e) => compactionKey(e) !== key);
    this.entries.push(op);
  }
  async list(): Promise<StampedOp[]> {
    return [...this.entries];
  }
  async remove(_s: string, ids: readonly string[]): Promise<void> {
    this.entries = this.entries.filter((e) => !ids.includes(e.id));
  }
}

/** Options a test may set on a device's session (the backoff defaults to {@link FAST_BACKOFF}). */
export type ConnectExtra = Partial<Pick<SyncSessionOptions, 'heartbeatMs' | 'diagnostics' | 'backoff' | 'fetch'>>;

/** One device: what a laptop or a tablet holds. */
export class Device implements SyncHost {
  doc: SessionDocument | null;
  clock: HlcClock;
  readonly outbox = new MemOutbox();
  readonly urls: string[] = [];
  readonly refused: OutboardError[] = [];
  /** Access tokens the relay handed this device (TOKEN frames), oldest first. */
  readonly tokens: string[] = [];
  sync: SyncSession | null = null;
  #waiters: (() => void)[] = [];

  constructor(name: string, doc: SessionDocument | null = null) {
    this.doc = doc;
    this.clock = new HlcClock(name);
  }

  applyRemote(op: StampedOp): void {
    if (this.doc) this.doc = apply(this.doc, op).doc;
    this.#changed();
  }

  replaceDocument(doc: SessionDocument): void {
    this.doc = doc;
    this.#changed();
  }

  /** A local edit, as the session controller makes it: stamp, apply, outbox, sync. */
  edit(op: AnyOp): StampedOp {
    if (!this.doc) throw new Error('no document');
    const stamped = stampOp(this.doc, op, this.clock);
    const out = apply(this.doc, stamped);
    if (out.result.status === 'error') throw new Error(out.result.error.message);
    this.doc = out.doc;
    this.outbox.append(stamped);
    this.sync?.submit(stamped);
    return stamped;
  }

  /** An in-gesture value, as a dragged control sends it: applied here and fanned out, never queued. */
  gesture(op: AnyOp): void {
    if (!this.doc) throw new Error('no document');
    const stamped = stampOp(this.doc, op, this.clock);
    this.doc = apply(this.doc, stamped).doc;
    this.sync?.sendEphemeral(stamped);
  }

  /** Connects to the relay at `base` with a token for `role`. */
  async connect(base: string, sessionId: string, user: string, role: Role, extra: ConnectExtra = {}): Promise<SyncSession> {
    return this.connectWith(base, sessionId, await mintToken(RELAY_SECRET, { session: sessionId, user, role, ttlSeconds: 3600 }), extra);
  }

  /**
   * Connects with a given token, as the app does with a stored one; `link`
   * is the link's own token to fall back on, and tokens the relay hands out
   * are kept in {@link tokens}.
   */
  async connectWith(base: string, sessionId: string, jwt: string, extra: ConnectExtra & { link?: string } = {}): Promise<SyncSession> {
    const { link, ...rest } = extra;
    const urls = this.urls;
    const Recording = class extends WebSocket {
      constructor(url: string) {
        urls.push(url);
        super(url);
      }
    };
    this.sync = new SyncSession({
      sessionId, base, host: this, outbox: this.outbox, backoff: FAST_BACKOFF,
      WebSocket: Recording as unknown as WebSocketCtor,
      credential: { token: jwt, claims: decodeClaims(jwt)! },
      ...(link ? { fallback: { token: link, claims: decodeClaims(link)! } } : {}),
      onToken: (t) => {
        this.tokens.push(t);
        this.#changed();
      },
      onStatus: () => this.#changed(),
      onPresence: () => this.#changed(),
      onRefused: (e) => this.refused.push(e),
      ...rest,
    });
    await this.sync.start();
    return this.sync;
  }

  #changed(): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const w of waiters) w();
  }

  /** Resolves once `check` holds, re-checked on every status, presence or document change. */
  until(check: () => boolean, what: string, timeoutMs = 8000): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}: ${JSON.stringify(this.sync?.status)}`)), timeoutMs);
      const test = () => {
        if (check()) {
          clearTimeout(timer);
          resolve();
        } else this.#waiters.push(test);
      };
      test();
    });
  }

  /** Synced with nothing waiting. */
  settled(): Promise<void> {
    return this.until(() => this.sync?.status.state === 'synced' && this.sync.status.waiting === 0 && this.outbox.entries.length === 0, 'synced, outbox empty');
  }

  stop(): void {
    this.sync?.stop();
  }
}

/** A fresh local session. */
export function offlineSession(id: string, name = 'Offline set'): SessionDocument {
  return createSession({ id, name });
}
