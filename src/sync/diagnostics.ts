import type { MessageId, SessionId, UserId } from '../protocol/ids.ts';
import type { ClientMessage } from '../protocol/messages.ts';
import type { Milliseconds } from '../protocol/units.ts';
import type { WireTap } from './relay-socket.ts';

/** Frames the inspector keeps (UX.md: the last 1000 in and out). */
export const LOG_CAPACITY = 1000;
/** A round trip longer than this is slow (UX.md). */
export const SLOW_MS: Milliseconds = 200;
/** Characters of one frame's text the log keeps: a SNAPSHOT can be megabytes, and the ring holds 1000 frames. */
export const KEPT_CHARS = 16 * 1024;

/** Which way a frame crossed the wire. */
export type Direction = 'in' | 'out';

/** One frame as the inspector shows it. */
export interface WireEntry {
  /** Running number of the frame since the page opened. */
  readonly n: number;
  readonly direction: Direction;
  /** Wall-clock time (ms since the epoch). */
  readonly at: number;
  /** The frame's `type` (an op type, `ack`, `error`, `SYNCED`…; `invalid` when it has none). */
  readonly type: string;
  /** The frame id ('' when it has none): an op's id, or the id an ack or error answers. */
  readonly id: MessageId;
  /** Who made it: the op's `changed_by` in, this device's user out; null for the relay's own frames. */
  readonly user: UserId | null;
  readonly sessionId: SessionId;
  /** Length of the frame's text (characters; bytes for the ASCII JSON the relay speaks). */
  readonly size: number;
  /** The frame as sent or received (a token in it is replaced by `[token]`); past {@link KEPT_CHARS}, its head and how much was cut. */
  readonly raw: string;
  /** For an ack or error: time since the frame it answers was sent; otherwise null. */
  readonly rttMs: Milliseconds | null;
}

/** Narrows the inspector to one type, user and/or session (empty or absent: any). */
export interface EntryFilter {
  readonly type?: string;
  readonly user?: string;
  readonly sessionId?: string;
}

/** Send → ack (or error) figures since the page opened. */
export interface RoundTrips {
  /** Round trips measured. */
  readonly count: number;
  readonly avgMs: Milliseconds | null;
  readonly maxMs: Milliseconds | null;
  /** Round trips longer than {@link SLOW_MS}. */
  readonly slow: number;
  /** `error` frames received. */
  readonly errors: number;
  /** Connections opened again after one was lost. */
  readonly reconnects: number;
}

/** Whether an entry passes a filter. */
export function matchesFilter(entry: WireEntry, filter: EntryFilter): boolean {
  return (!filter.type || entry.type === filter.type)
    && (!filter.user || entry.user === filter.user)
    && (!filter.sessionId || entry.sessionId === filter.sessionId);
}

/** The fields of a received frame the log reads; anything may be missing on a malformed one. */
interface Inbound {
  readonly type?: unknown;
  readonly id?: unknown;
  readonly data?: { readonly changed_by?: unknown; readonly user_id?: unknown } | null;
}

/** Options for {@link Diagnostics}. */
export interface DiagnosticsOptions {
  /** Clock in ms since the epoch; sub-millisecond where the platform has it. */
  readonly now?: () => number;
}

const preciseNow = () => performance.timeOrigin + performance.now();

const utf8 = { encoder: new TextEncoder(), decoder: new TextDecoder() };

/** The text to keep of a frame: a long one's head, copied so the whole frame is not held through a slice of it. */
function kept(raw: string): string {
  if (raw.length <= KEPT_CHARS) return raw;
  const head = utf8.decoder.decode(utf8.encoder.encode(raw.slice(0, KEPT_CHARS)));
  return `${head}… [${raw.length - KEPT_CHARS} more characters not kept]`;
}

/**
 * The relay traffic of every session this page syncs, for the Diagnostics
 * view: a ring of the newest frames in both directions and round-trip
 * figures from each frame sent to its ack or error. It sits on the sync
 * path, so recording is a ring write and a map lookup, and never throws:
 * a failure to record loses the entry, not the frame.
 */
export class Diagnostics {
  readonly #ring = new Array<WireEntry | undefined>(LOG_CAPACITY);
  readonly #now: () => number;
  #total = 0;
  /** Send time of each frame that expects an answer, by id (oldest first, bounded like the ring). */
  readonly #sentAt = new Map<string, number>();
  #rttCount = 0;
  #rttSum = 0;
  #rttMax = 0;
  #slow = 0;
  #errors = 0;
  #reconnects = 0;

  constructor(options: DiagnosticsOptions = {}) {
    this.#now = options.now ?? preciseNow;
  }

  /** Frames recorded since the page opened (grows past the capacity: a change means new entries). */
  get total(): number {
    return this.#total;
  }

  /** The kept frames, newest first, narrowed by `filter`. */
  entries(filter: EntryFilter = {}): WireEntry[] {
    const out: WireEntry[] = [];
    const kept = Math.min(this.#total, LOG_CAPACITY);
    for (let i = 1; i <= kept; i += 1) {
      const entry = this.#ring[(this.#total - i) % LOG_CAPACITY]!;
      if (matchesFilter(entry, filter)) out.push(entry);
    }
    return out;
  }

  /** Round trips, errors and reconnects since the page opened. */
  get roundTrips(): RoundTrips {
    const count = this.#rttCount;
    return {
      count, avgMs: count ? this.#rttSum / count : null, maxMs: count ? this.#rttMax : null,
      slow: this.#slow, errors: this.#errors, reconnects: this.#reconnects,
    };
  }

  /** What one session's {@link RelaySocket} reports to; `user` answers this device's user id at the time. */
  tap(sessionId: SessionId, user: () => UserId): WireTap {
    let opened = false;
    return {
      sent: (message, raw) => {
        try {
          this.#sent(message, raw, sessionId, user());
        } catch {
          // Recording is best effort: the frame has gone out either way.
        }
      },
      received: (value, raw) => {
        try {
          this.#received(value as Inbound | null, raw, sessionId);
        } catch {
          // Recording is best effort: the frame is handled either way.
        }
      },
      opened: () => {
        if (opened) this.#reconnects += 1;
        opened = true;
      },
    };
  }

  #sent(message: ClientMessage, raw: string, sessionId: SessionId, user: UserId): void {
    const at = this.#now();
    // Presence and in-gesture values are never answered; only frames that are get a send time.
    if (message.type !== 'PRESENCE' && !('ephemeral' in message && message.ephemeral)) this.#awaitAnswer(message.id, at);
    // The heartbeat re-sends the token: it must not land in an exported file.
    const text = message.type === 'AUTH' ? raw.replace(message.data.token, '[token]') : raw;
    this.#write({ n: this.#total, direction: 'out', at, type: message.type, id: message.id, user, sessionId, size: raw.length, raw: kept(text), rttMs: null });
  }

  #received(frame: Inbound | null, raw: string, sessionId: SessionId): void {
    const at = this.#now();
    const type = typeof frame?.type === 'string' ? frame.type : 'invalid';
    const id = typeof frame?.id === 'string' ? frame.id : '';
    const by = type === 'PRESENCE' ? frame?.data?.user_id : frame?.data?.changed_by;
    let rttMs: Milliseconds | null = null;
    if (type === 'ack' || type === 'error') {
      if (type === 'error') this.#errors += 1;
      const sent = this.#sentAt.get(id);
      if (sent !== undefined) {
        this.#sentAt.delete(id);
        rttMs = at - sent;
        this.#rttCount += 1;
        this.#rttSum += rttMs;
        if (rttMs > this.#rttMax) this.#rttMax = rttMs;
        if (rttMs > SLOW_MS) this.#slow += 1;
      }
    }
    this.#write({ n: this.#total, direction: 'in', at, type, id, user: typeof by === 'string' ? by : null, sessionId, size: raw.length, raw: kept(raw), rttMs });
  }

  #awaitAnswer(id: string, at: number): void {
    // A re-send (after a reconnect) times from the latest send; answers that never come age out.
    this.#sentAt.delete(id);
    this.#sentAt.set(id, at);
    if (this.#sentAt.size > LOG_CAPACITY) this.#sentAt.delete(this.#sentAt.keys().next().value!);
  }

  #write(entry: WireEntry): void {
    this.#ring[this.#total % LOG_CAPACITY] = entry;
    this.#total += 1;
  }
}
