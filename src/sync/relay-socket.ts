import type { z } from 'zod';
import type { ClientMessage, OpBroadcast } from '../protocol/messages.ts';
import {
  AckSchema, ErrorMessageSchema, MetersBroadcastSchema, OpBroadcastSchema, PresenceBroadcastSchema, SnapshotSchema, SyncedSchema, TokenSchema, WelcomeSchema,
} from '../protocol/messages.ts';
import { backoffDelay, DEFAULT_BACKOFF, type BackoffOptions } from './backoff.ts';

/** The part of a WebSocket the client uses: the browser's and the `ws` package's both fit. */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: { code: number; reason: string }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
}

/** A WebSocket constructor (the browser's global, or `ws` in Node tests). */
export type WebSocketCtor = new (url: string) => WebSocketLike;

const OPEN = 1;

/** Relay frames with a `type` of their own; anything else is an op broadcast. */
const TYPED = {
  WELCOME: WelcomeSchema, SNAPSHOT: SnapshotSchema, SYNCED: SyncedSchema, ack: AckSchema, error: ErrorMessageSchema, PRESENCE: PresenceBroadcastSchema,
  TOKEN: TokenSchema, METERS: MetersBroadcastSchema,
} as const;
/** Levels, 30 a second: the diagnostics leave them out so the inspector's last 1000 messages stay the edits. */
const untapped = (type: unknown) => type === 'METERS';
type Typed = { [K in keyof typeof TYPED]: z.infer<(typeof TYPED)[K]> }[keyof typeof TYPED];

/** A validated relay frame, discriminated by `type` (op broadcasts come as `{type: 'OP', op}`). */
export type Incoming = Typed | { readonly type: 'OP'; readonly op: OpBroadcast };

/** Validates one parsed frame against the schema its `type` selects. */
export function readRelayFrame(value: unknown): { ok: true; value: Incoming } | { ok: false; reason: string } {
  const type = (value as { type?: unknown } | null)?.type;
  const schema = typeof type === 'string' && Object.hasOwn(TYPED, type) ? TYPED[type as keyof typeof TYPED] : null;
  const parsed = (schema ?? OpBroadcastSchema).safeParse(value);
  if (!parsed.success) return { ok: false, reason: parsed.error.issues[0]?.message ?? 'invalid frame' };
  return { ok: true, value: schema ? (parsed.data as Typed) : { type: 'OP', op: parsed.data as OpBroadcast } };
}

/** Connection state as the status chip shows it. */
export type SocketState = 'idle' | 'connecting' | 'open' | 'waiting';

/** What the socket tells its owner. */
export interface RelaySocketHandlers {
  /** A validated relay frame. */
  frame(message: Incoming): void;
  /** The socket opened (the relay accepted the handshake). */
  open(): void;
  /** The socket closed; `opened` is false when the handshake itself failed (refused or unreachable); `reason` as the relay gave it. */
  closed(code: number, opened: boolean, reason: string): void;
  /** A frame that failed validation (logged, never applied). */
  invalid?(raw: string, reason: string): void;
}

/**
 * Sees every frame that crosses the wire (the Diagnostics view's log). Called
 * on the sync path for each frame: it must be cheap and must not throw.
 */
export interface WireTap {
  /** A frame went out, as `raw` text. */
  sent(message: ClientMessage, raw: string): void;
  /** A frame came in: `value` is its parsed JSON (null when it was not JSON), before validation. */
  received(value: unknown, raw: string): void;
  /** A connection opened. */
  opened(): void;
}

/** Options for {@link RelaySocket}. */
export interface RelaySocketOptions {
  /** The URL of the next attempt (asked each time, so `since` is current). */
  readonly url: () => string;
  /** Work before each attempt (publishing a session made offline); the attempt waits for it. */
  readonly prepare?: () => Promise<void>;
  readonly WebSocket: WebSocketCtor;
  readonly backoff?: BackoffOptions;
  readonly tap?: WireTap;
}

/**
 * One relay connection that keeps itself up: connects, validates every
 * incoming frame against the protocol's schemas (a bad frame is reported and
 * dropped, never thrown), and after a close reconnects with exponential
 * backoff and jitter until {@link stop}. It knows nothing of sessions or
 * documents; {@link SyncSession} drives it.
 */
export class RelaySocket {
  state: SocketState = 'idle';
  /** Consecutive failed attempts; reset when a connection opens. */
  attempt = 0;
  /** The delay chosen for the pending retry (ms), for the UI and tests. */
  lastDelay = 0;
  #ws: WebSocketLike | null = null;
  #timer: ReturnType<typeof setTimeout> | null = null;
  #stopped = true;
  /** When a connection was last open (ms since the epoch): the backoff probes sooner for a relay just lost. */
  #reachableAt = -Infinity;

  constructor(private readonly options: RelaySocketOptions, private readonly on: RelaySocketHandlers) {}

  /** Starts connecting (no-op when already running). */
  start(): void {
    if (!this.#stopped) return;
    this.#stopped = false;
    this.#connect();
  }

  /** Closes the socket and stops retrying. */
  stop(): void {
    this.#stopped = true;
    this.#clearTimer();
    const ws = this.#ws;
    this.#ws = null;
    if (ws) {
      ws.onclose = ws.onmessage = ws.onopen = null;
      // Closing a socket still connecting reports an error; keep a listener so it is not thrown (Node's ws).
      ws.onerror = () => undefined;
      ws.close(1000, 'client closed');
    }
    this.state = 'idle';
  }

  /** Retries at once ("Retry now", the page came back online or visible); only while waiting. */
  retryNow(): void {
    if (this.#stopped || this.state !== 'waiting') return;
    this.#clearTimer();
    this.#connect();
  }

  /**
   * Gives up on the current connection at once (it stopped answering: a
   * half-open TCP connection may not report its close for minutes) and
   * reconnects through the backoff.
   */
  abandon(): void {
    const ws = this.#ws;
    if (!ws || this.#stopped) return;
    this.#ws = null;
    ws.onclose = ws.onmessage = ws.onopen = null;
    ws.onerror = () => undefined;
    ws.close(4000, 'no answer');
    this.#reachableAt = Date.now();
    this.on.closed(4000, true, 'no answer');
    this.#retry();
  }

  /** Drops the current connection and reconnects through the backoff (e.g. a fatal frame). */
  restart(code = 4000, reason = 'client restart'): void {
    this.#ws?.close(code, reason);
  }

  /** Sends one frame; false when not open (the caller keeps it for later). */
  send(message: ClientMessage): boolean {
    const ws = this.#ws;
    if (!ws || ws.readyState !== OPEN) return false;
    const raw = JSON.stringify(message);
    ws.send(raw);
    if (!untapped(message.type)) this.options.tap?.sent(message, raw);
    return true;
  }

  #clearTimer(): void {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
  }

  #connect(): void {
    this.state = 'connecting';
    const prepare = this.options.prepare;
    if (!prepare) {
      this.#open();
      return;
    }
    prepare().catch(() => undefined).then(() => {
      if (!this.#stopped && this.state === 'connecting' && !this.#ws) this.#open();
    });
  }

  #open(): void {
    let opened = false;
    let ws: WebSocketLike;
    try {
      ws = new this.options.WebSocket(this.options.url());
    } catch {
      this.#retry();
      return;
    }
    this.#ws = ws;
    ws.onopen = () => {
      opened = true;
      this.attempt = 0;
      this.state = 'open';
      this.options.tap?.opened();
      this.on.open();
    };
    ws.onmessage = (ev) => this.#receive(ev.data);
    ws.onerror = () => undefined; // a close always follows; that is where we act
    ws.onclose = (ev) => {
      if (this.#ws !== ws) return;
      this.#ws = null;
      if (opened) this.#reachableAt = Date.now();
      this.on.closed(ev.code, opened, ev.reason);
      if (!this.#stopped) this.#retry();
    };
  }

  #retry(): void {
    this.state = 'waiting';
    this.lastDelay = backoffDelay(this.attempt, this.options.backoff ?? DEFAULT_BACKOFF, Date.now() - this.#reachableAt);
    this.attempt += 1;
    this.#timer = setTimeout(() => {
      this.#timer = null;
      if (!this.#stopped) this.#connect();
    }, this.lastDelay);
  }

  #receive(data: unknown): void {
    if (typeof data !== 'string') {
      this.on.invalid?.(String(data), 'binary frame');
      return;
    }
    let value: unknown;
    try {
      value = JSON.parse(data);
    } catch {
      this.options.tap?.received(null, data);
      this.on.invalid?.(data, 'not JSON');
      return;
    }
    if (!untapped((value as { type?: unknown } | null)?.type)) this.options.tap?.received(value, data);
    const parsed = readRelayFrame(value);
    if (!parsed.ok) {
      this.on.invalid?.(data, parsed.reason);
      return;
    }
    try {
      this.on.frame(parsed.value);
    } catch (error) {
      // A handler bug must not kill the connection loop; report it like a bad frame.
      this.on.invalid?.(data, `handler failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
