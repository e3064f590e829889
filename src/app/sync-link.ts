import type { StampedOp } from '../model/index.ts';
import type { OutboardError, Result } from '../protocol/errors.ts';
import type { SessionListing } from '../protocol/session-listing.ts';
import type { SessionDocument } from '../protocol/session.ts';
import type { LocalStore } from '../store/index.ts';
import {
  credentialFor, Diagnostics, listRelaySessions, LocalOps, linkFor, nameFor, saveAccessToken, storedOutbox, SyncSession,
  type Credential, type Member, type SyncHost, type SyncStatus, type WebSocketCtor,
} from '../sync/index.ts';
import { Emitter } from './emitter.ts';
import type { SessionController } from './session-controller.ts';
import { surface } from './surface-state.ts';
import { WakeLock } from './wake-lock.ts';
import { remoteMeters } from './meters.ts';
import type { MetersData } from '../protocol/messages.ts';

/** Where the relay is and how to reach it (the page's own origin in the app). */
export interface SyncLinkOptions {
  readonly base: string;
  readonly WebSocket: WebSocketCtor;
}

/** What the sync link tells its listeners. */
export type SyncLinkEvents = {
  /** Status or members changed. */
  change: void;
  /** An invited session arrived from the relay and is open now. */
  opened: SessionDocument;
  /** The relay refused an op (rolled back here), or the link itself (`op` undefined). */
  refused: { readonly error: OutboardError; readonly op: StampedOp | undefined };
};

/**
 * Binds the open session to the relay: picks the stored token for it, runs a
 * {@link SyncSession} with the controller as its document host and the
 * IndexedDB outbox, hands local ops to sync's {@link LocalOps} (the policy:
 * gesture vs durable, presence timing), marks the surface read-only for
 * viewers and keeps the screen awake while connected. Its events are {@link SyncLinkEvents}.
 */
export class SyncLink extends Emitter<SyncLinkEvents> {
  status: SyncStatus | null = null;
  members: Member[] = [];
  credential: Credential | null = null;
  /** The name the others see for this device here (from its invite link), or null: its user id. */
  name: string | null = null;
  /** Every frame to and from the relay, across the sessions opened in this page (the Diagnostics view). */
  readonly diagnostics = new Diagnostics();
  #session: SyncSession | null = null;
  #sessionId: string | null = null;
  /** An invited session this device does not have yet: opened when its snapshot arrives. */
  #wanted: string | null = null;
  #generation = 0;
  readonly #local = new LocalOps(() => this.#session);
  readonly #wake = new WakeLock();
  /** "Audio on this device", told to the others with presence. */
  #audio = false;

  constructor(private readonly store: LocalStore, private readonly ctl: SessionController, private readonly options: SyncLinkOptions) {
    super();
  }

  /** Follows the open session from now on. */
  start(): void {
    this.ctl.on('change', () => this.#follow());
    this.ctl.on('op', ({ op, ephemeral }) => {
      // Only ops of the session being synced leave (a session just switched away from stays here).
      if (this.ctl.doc?.id === this.#sessionId) this.#local.route(op, ephemeral);
    });
    // Hints to retry sooner; reachability itself is judged by the relay connection.
    addEventListener('online', () => this.retryNow());
    document.addEventListener('visibilitychange', () => document.visibilityState === 'visible' && this.retryNow());
    this.#follow();
  }

  /** Opens an invited session: the local copy when there is one, else it arrives from the relay (`opened`). */
  async join(sessionId: string): Promise<SessionDocument | null> {
    const local = await this.store.getSession(sessionId);
    if (local.ok) return local.value;
    if (!(await credentialFor(this.store, sessionId))) {
      const error: OutboardError = { code: 'UNAUTHORIZED', message: 'this invite link has expired or is not valid: ask for a new one' };
      this.emit('refused', { error, op: undefined });
      return null;
    }
    this.#wanted = sessionId;
    void this.#connect(sessionId);
    return null;
  }

  /** Tries the relay at once instead of waiting out the backoff ("Retry now", back online, page visible again). */
  retryNow(): void {
    this.#session?.retryNow();
  }

  /**
   * The relay's sessions that this device's relay-wide token (the admin link,
   * or an owner's) may see; null when it has no such token.
   */
  async relaySessions(): Promise<Result<SessionListing[]> | null> {
    const credential = await credentialFor(this.store, '*');
    if (!credential || credential.claims.sid !== '*') return null;
    return listRelaySessions({ base: this.options.base, token: credential.token });
  }

  /** Tells the others (presence) whether this device plays the session. */
  setAudio(on: boolean): void {
    this.#audio = on;
    this.#session?.setAudio(on);
  }

  /** Sends this audio host's levels to the others (dropped while not synced). */
  sendMeters(data: MetersData): void {
    this.#session?.sendMeters(data);
  }

  /** Diagnostics: the last round trip to the relay (ms), connections lost since the session opened, ops stuck unconfirmed. */
  get health(): { rttMs: number | null; drops: number; stuck: number } {
    return { rttMs: this.#session?.rttMs ?? null, drops: this.#session?.drops ?? 0, stuck: this.status?.stuck ?? 0 };
  }

  /** The session being synced (or waited for). */
  get sessionId(): string | null {
    return this.#sessionId;
  }

  #follow(): void {
    const id = this.ctl.doc?.id ?? this.#wanted;
    if (id !== this.#sessionId) void this.#connect(id);
  }

  async #connect(sessionId: string | null): Promise<void> {
    const generation = ++this.#generation;
    this.#session?.stop();
    this.#session = null;
    this.#sessionId = sessionId;
    this.#local.reset();
    const link = sessionId ? await linkFor(this.store, sessionId) : null;
    // Past its link's lifetime a session still syncs in name: the session says the link ended and keeps every edit.
    const credential = sessionId ? (await credentialFor(this.store, sessionId)) ?? link : null;
    const name = sessionId ? await nameFor(this.store, sessionId) : undefined;
    if (generation !== this.#generation) return;
    this.credential = credential;
    this.name = name ?? null;
    if (!sessionId || !credential) {
      this.#setStatus(null);
      this.#wake.release();
      return;
    }
    const session = new SyncSession({
      sessionId, credential, base: this.options.base, WebSocket: this.options.WebSocket, ...(name ? { name } : {}),
      ...(link ? { fallback: link } : {}),
      onToken: (token) => void saveAccessToken(this.store, sessionId, token),
      audio: this.#audio, onMeters: (data) => generation === this.#generation && remoteMeters.take(data),
      host: this.#host(sessionId), outbox: storedOutbox(this.store, () => this.ctl.outboxWritten()), diagnostics: this.diagnostics,
      onStatus: (s) => generation === this.#generation && this.#setStatus(s),
      onPresence: (roster) => {
        if (generation !== this.#generation) return;
        this.members = roster.members;
        surface.setMembers(this.members);
        this.emit('change');
      },
      onRefused: (error, op) => this.emit('refused', { error, op }),
      onInvalidFrame: (raw, reason) => console.warn(`outboard: ignored a relay frame (${reason}): ${raw.slice(0, 200)}`),
    });
    this.#session = session;
    await session.start();
  }

  #setStatus(status: SyncStatus | null): void {
    this.status = status;
    const readOnly = status?.role === 'viewer';
    this.ctl.readOnly = readOnly;
    surface.readOnly = readOnly;
    if (!status || status.state !== 'synced') {
      this.members = [];
      surface.setMembers([]);
    }
    // A connected surface (a tablet riding faders) must not dim and lock mid-song.
    if (status?.state === 'synced') void this.#wake.acquire();
    this.emit('change');
  }

  #host(sessionId: string): SyncHost {
    const ctl = this.ctl;
    return {
      get doc() {
        return ctl.doc?.id === sessionId ? ctl.doc : null;
      },
      clock: ctl.clock,
      applyRemote: (op) => {
        if (ctl.doc?.id === sessionId) ctl.applyRemote(op);
      },
      replaceDocument: (doc) => {
        if (ctl.doc?.id === sessionId) {
          ctl.replaceDocument(doc);
          return;
        }
        if (this.#wanted !== sessionId) return;
        this.#wanted = null;
        void this.store.putSession(doc);
        ctl.load(doc);
        this.emit('opened', doc);
      },
    };
  }
}
