/**
 * Liveness of a synced connection. Reachability is judged by the relay
 * answering, not by navigator.onLine: the relay's own pings are invisible to
 * browser code, so the client re-sends its token (AUTH, which the relay acks)
 * as a round trip it can time. No answer in time: the connection is given up
 * (a half-open TCP connection may not report its close for minutes).
 */
import { newId } from '../protocol/ids.ts';

export const HEARTBEAT_MS = 20_000;
export const HEARTBEAT_TIMEOUT_MS = 8_000;

/** What a heartbeat needs from its session. */
export interface HeartbeatPort {
  /** Sends the AUTH round trip under `id`; false when the socket is not open. */
  send(id: string): boolean;
  /** The relay did not answer: drop the connection and reconnect. */
  lost(): void;
}

/** One AUTH round trip every `intervalMs` while synced. */
export class Heartbeat {
  /** The last round trip (ms), for diagnostics. */
  rttMs: number | null = null;
  #beat: ReturnType<typeof setTimeout> | null = null;
  #deadline: ReturnType<typeof setTimeout> | null = null;
  #id: string | null = null;
  #sentAt = 0;

  constructor(private readonly port: HeartbeatPort, private readonly intervalMs = HEARTBEAT_MS, private readonly timeoutMs = HEARTBEAT_TIMEOUT_MS) {}

  /** (Re)starts the beat: the next round trip in `intervalMs`. */
  start(): void {
    this.stop();
    this.#beat = setTimeout(() => this.#send(), this.intervalMs);
  }

  /** Stops beating (the connection closed, or the session stopped). */
  stop(): void {
    if (this.#beat !== null) clearTimeout(this.#beat);
    if (this.#deadline !== null) clearTimeout(this.#deadline);
    this.#beat = this.#deadline = null;
    this.#id = null;
  }

  /**
   * Sends the next round trip now instead of at the next beat (the page woke
   * up); nothing while stopped or while a round trip is already out.
   */
  checkNow(): void {
    if (this.#beat === null) return;
    clearTimeout(this.#beat);
    this.#send();
  }

  /** Takes an ack or error for `id` when it answers the heartbeat (the relay is there); answers whether it did. */
  answered(id: string | undefined): boolean {
    if (id === undefined || id !== this.#id) return false;
    this.rttMs = Date.now() - this.#sentAt;
    this.start();
    return true;
  }

  #send(): void {
    this.#beat = null;
    const id = newId('hb');
    this.#id = id;
    this.#sentAt = Date.now();
    if (!this.port.send(id)) return;
    this.#deadline = setTimeout(() => {
      this.#deadline = null;
      this.port.lost();
    }, this.timeoutMs);
  }
}
