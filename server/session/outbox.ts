/**
 * A receiver's send queue with backpressure (SPEC §5). While the socket keeps
 * up, frames go straight out. Once its buffered bytes pass a threshold, frames
 * wait here, and a parameter value replaces the queued value of the same
 * (track, plugin, param) — a slow tablet gets the newest fader position, not
 * every step of the gesture. The queue is bounded in frames and in bytes: a
 * receiver that falls further behind is dropped and resumes later with `since`.
 */

/** One frame for one receiver. */
export interface Outgoing {
  readonly text: string;
  /** `text` as UTF-8, encoded once for a frame sent to many receivers. */
  readonly bytes?: Buffer;
  /** Coalescing key: frames with the same key keep only the newest. */
  readonly key?: string;
  /** The op's HLC, so a late-arriving older value never replaces a newer one. */
  readonly hlc?: string;
}

/** The socket side of an outbox. */
export interface Sink {
  readonly bufferedAmount: number;
  /** Sends one text frame (a Buffer holds UTF-8 text). */
  send(data: string | Buffer): void;
}

let unkeyed = 0;

/** A bounded, coalescing send queue in front of one socket. */
export class Outbox {
  private readonly queue = new Map<string, Outgoing>();
  private timer: NodeJS.Timeout | undefined;
  private closed = false;
  private queuedBytes = 0;
  /** Frames replaced by a newer value while queued (for the admin view and tests). */
  coalesced = 0;

  constructor(
    private readonly sink: Sink,
    private readonly threshold: number,
    private readonly max: number,
    /** Most bytes (UTF-16 code units, near enough) queued, whatever the frame count. */
    private readonly maxBytes: number,
    /** Called once when the queue overflows; the owner closes the socket. */
    private readonly onOverflow: () => void,
  ) {}

  /** Sends or queues one frame. */
  push(out: Outgoing): void {
    if (this.closed) return;
    if (this.queue.size === 0 && this.sink.bufferedAmount <= this.threshold) {
      this.sink.send(out.bytes ?? out.text);
      return;
    }
    if (out.key !== undefined) {
      const queued = this.queue.get(out.key);
      if (queued) {
        if (queued.hlc !== undefined && out.hlc !== undefined && out.hlc < queued.hlc) return;
        // Delete then set: the newest value moves to the back, so frames stay in seq order.
        this.queue.delete(out.key);
        this.queuedBytes -= queued.text.length;
        this.coalesced++;
      }
      this.queue.set(out.key, out);
    } else {
      this.queue.set(`#${unkeyed++}`, out);
    }
    this.queuedBytes += out.text.length;
    if (this.queue.size > this.max || this.queuedBytes > this.maxBytes) {
      this.close();
      this.onOverflow();
      return;
    }
    this.schedule();
  }

  /** Frames waiting. */
  get size(): number {
    return this.queue.size;
  }

  /** Stops sending and drops what is queued. */
  close(): void {
    this.closed = true;
    this.queue.clear();
    this.queuedBytes = 0;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private schedule(): void {
    // Polling the buffer is simpler and cheaper than wiring 'drain' through ws, and only runs while backed up.
    this.timer ??= setTimeout(() => this.drain(), 2);
  }

  private drain(): void {
    this.timer = undefined;
    if (this.closed) return;
    for (const [key, out] of this.queue) {
      if (this.sink.bufferedAmount > this.threshold) break;
      this.queue.delete(key);
      this.queuedBytes -= out.text.length;
      this.sink.send(out.bytes ?? out.text);
    }
    if (this.queue.size > 0) this.schedule();
  }
}
