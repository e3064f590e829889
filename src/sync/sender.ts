/**
 * The durable side of sending: flushes the waiting ops in order, paced under
 * the relay's message rate, and settles each frame's answer — an ack confirms
 * its ops, a refusal that was not the op's fault keeps them queued, a refusal
 * of the op itself undoes it and says why.
 *
 * Order under refusals: when the relay refuses a frame for a reason that was
 * not the op's (RATE_LIMITED when a window rolls over mid-burst, ENGINE_ERROR),
 * later frames already on the way may depend on it (a param of a plugin that
 * frame adds) and come back refused for that reason alone. So a refusal of a
 * frame sent in an earlier round than the current one is never final: its
 * ops go back to the queue and are sent again after what they depend on.
 */
import type { StampedOp } from '../model/index.ts';
import { outboardError, type OutboardError } from '../protocol/errors.ts';
import type { ClientMessage } from '../protocol/messages.ts';
import { Outgoing } from './outgoing.ts';
import type { Replica } from './replica.ts';
import { SendWindow } from './send-window.ts';
import type { OutboxPort } from './types.ts';

/** Retry delay after RATE_LIMITED / ENGINE_ERROR answers (the op is kept, not dropped). */
const RETRY_MS = 1_000;
/** An op unanswered this long while connected is stuck: shown, and sent again over a fresh connection. */
export const STUCK_MS = 5_000;
/** The relay's default message rate, until WELCOME announces its own. */
export const DEFAULT_MESSAGES_PER_SECOND = 100;

/** Refusals that say nothing about the op itself: it stays queued and is sent again. */
const RETRYABLE = new Set(['RATE_LIMITED', 'ENGINE_ERROR']);

/** What a sender needs from its session. */
export interface SenderPort {
  readonly sessionId: string;
  readonly replica: Replica;
  readonly outbox: OutboxPort;
  /** Whether sending is possible now (synced, may edit). */
  canSend(): boolean;
  /** Shows the document as confirmed + pending (after a refusal). */
  rollback(): void;
  /** The status changed (waiting, stuck). */
  changed(): void;
  /** An op was refused for good (already undone). */
  refused(error: OutboardError, op: StampedOp): void;
  /** Ops are stuck: try them again over a fresh connection. */
  stuck(): void;
}

/** Flushes the outbox and settles acks and refusals for one session. */
export class Sender {
  readonly out: Outgoing;
  readonly window: SendWindow;
  /** Ops unanswered for longer than {@link STUCK_MS} while connected. */
  stuckOps = 0;
  #flushTimer: ReturnType<typeof setTimeout> | null = null;
  #stuckTimer: ReturnType<typeof setInterval> | null = null;
  #scheduled = false;
  /** When each waiting op was first sent, across reconnects: how long it has waited for its ack. */
  readonly #firstSent = new Map<string, number>();
  #lastRetry = -Infinity;

  constructor(private readonly port: SenderPort, send: (message: ClientMessage) => boolean, private readonly now: () => number = Date.now) {
    this.window = new SendWindow(DEFAULT_MESSAGES_PER_SECOND, now);
    this.out = new Outgoing(port.sessionId, send, now);
  }

  /**
   * Sends a new op: the first of a task at once (a key press is on the wire
   * before the views re-render for it), the ones after it in the same task
   * together on the next microtask (a burst of keys leaves in one more frame).
   */
  schedule(): void {
    if (this.#scheduled) return;
    this.flush();
    this.#scheduled = true;
    queueMicrotask(() => {
      this.#scheduled = false;
      this.flush();
    });
  }

  /** Sends the waiting ops not in flight, in order, as far as the rate allows; the rest when the window has room. */
  flush(): void {
    if (this.#flushTimer !== null) return;
    if (!this.port.canSend()) return;
    if (this.out.flush(this.port.replica.pending, this.window.room())) return;
    this.#flushLater(this.window.wait());
  }

  /** Connected and synced: whatever was in flight and not replayed is sent again; watch for stuck ops. */
  connected(): void {
    this.out.inflight.clear();
    this.#checkStuck();
    if (this.#stuckTimer === null) this.#stuckTimer = setInterval(() => this.#checkStuck(), STUCK_MS / 5);
  }

  /** The connection is gone (or the session stopped). */
  disconnected(): void {
    if (this.#stuckTimer !== null) clearInterval(this.#stuckTimer);
    this.#stuckTimer = null;
    if (this.#flushTimer !== null) clearTimeout(this.#flushTimer);
    this.#flushTimer = null;
    this.#setStuck(0);
  }

  /** An ack: its ops join the confirmed document and leave the outbox. Answers false when it was not ours. */
  ack(id: string, seq: number): boolean {
    const frame = this.out.take(id);
    if (!frame) return false;
    const ids = frame.entries.map((e) => e.id);
    this.port.replica.confirm(ids, seq);
    for (const opId of ids) this.#firstSent.delete(opId);
    void this.port.outbox.remove(this.port.sessionId, ids);
    this.#checkStuck();
    this.port.changed();
    return true;
  }

  /** A refusal of one of our frames; answers false when `id` is not one. */
  error(id: string, error: OutboardError): boolean {
    const frame = this.out.take(id);
    if (!frame) return false;
    if (RETRYABLE.has(error.code)) {
      // Not the op's fault: keep it. Frames sent after it may depend on it; their refusals are not final (see above).
      this.out.round += 1;
      this.#flushLater(Math.max(RETRY_MS, this.window.wait()));
      return true;
    }
    if (frame.round < this.out.round) {
      // Sent before a retryable refusal: it may have depended on the refused op. Sent again after it.
      this.#flushLater(Math.max(RETRY_MS, this.window.wait()));
      return true;
    }
    if (frame.entries.length > 1) {
      // A BATCH is all-or-nothing: send its entries one by one so only the bad op is dropped.
      for (const entry of frame.entries) this.out.frame([entry]);
      return true;
    }
    const op = frame.entries[0]!;
    this.#firstSent.delete(op.id);
    this.port.replica.drop(op.id);
    void this.port.outbox.remove(this.port.sessionId, [op.id]);
    this.port.rollback();
    this.port.refused(outboardError(error.code, error.message, error.field), op);
    this.port.changed();
    return true;
  }

  /** Stops every timer. */
  stop(): void {
    this.disconnected();
  }

  #flushLater(ms: number): void {
    if (this.#flushTimer !== null) return;
    this.#flushTimer = setTimeout(() => {
      this.#flushTimer = null;
      this.flush();
    }, ms);
  }

  #checkStuck(): void {
    const now = this.now();
    for (const f of this.out.inflight.values()) {
      for (const e of f.entries) if (!this.#firstSent.has(e.id)) this.#firstSent.set(e.id, f.sentAt);
    }
    let stuck = 0;
    const waiting = new Set<string>();
    for (const op of this.port.replica.pending) {
      waiting.add(op.id);
      const sent = this.#firstSent.get(op.id);
      if (sent !== undefined && now - sent > STUCK_MS) stuck += 1;
    }
    // Ops confirmed by a replay or compacted away are no longer waited for.
    for (const opId of this.#firstSent.keys()) if (!waiting.has(opId)) this.#firstSent.delete(opId);
    this.#setStuck(stuck);
    // Retried over a fresh connection (a resume replays what the relay did get); not more often than every other period.
    if (stuck > 0 && now - this.#lastRetry >= 2 * STUCK_MS) {
      this.#lastRetry = now;
      this.port.stuck();
    }
  }

  #setStuck(n: number): void {
    if (n === this.stuckOps) return;
    this.stuckOps = n;
    this.port.changed();
  }
}
