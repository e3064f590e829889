import type { StampedOp } from '../model/index.ts';
import { newId } from '../protocol/ids.ts';
import type { ClientMessage } from '../protocol/messages.ts';
import { flatOps, opFrame } from './wire.ts';

/** Most ops in one BATCH frame when flushing the outbox; the byte budget keeps a frame under the relay's 64 KiB. */
const BATCH_OPS = 50;
const BATCH_BYTES = 48 * 1024;
/** Ids of in-gesture frames: an error about one (a rate limit under a fast drag) is no news for the user. */
const EPHEMERAL_PREFIX = 'g';

/** A frame sent and not yet answered. */
export interface Frame {
  /** The outbox entries it carries, in order. */
  readonly entries: StampedOp[];
  /** When it was sent (ms since the epoch): an answer overdue makes it stuck. */
  readonly sentAt: number;
  /** The sending round: a round ends when the relay refuses a frame for a reason that was not the op's (a rate limit). */
  readonly round: number;
}

/**
 * The sending side of a session: packs pending ops into frames (one op
 * alone, several as a BATCH of up to 50 ops), remembers each frame until
 * its ack or error, and sends in-gesture values under their own ids.
 */
export class Outgoing {
  /** Frames sent and not answered, by frame id (kept across a reconnect to recognise replayed ops of ours). */
  readonly inflight = new Map<string, Frame>();

  /** The current sending round (see {@link Frame.round}). */
  round = 0;

  constructor(
    private readonly sessionId: string,
    private readonly send: (message: ClientMessage) => boolean,
    private readonly now: () => number = Date.now,
  ) {}

  /** Whether a frame id was an in-gesture value. */
  static isEphemeralId(id: string): boolean {
    return id.startsWith(`${EPHEMERAL_PREFIX}_`);
  }

  /** Takes the frame answered by an ack or an error. */
  take(id: string): Frame | undefined {
    const frame = this.inflight.get(id);
    this.inflight.delete(id);
    return frame;
  }

  /** Whether an op id is in a frame awaiting its answer. */
  isInFlight(opId: string): boolean {
    for (const f of this.inflight.values()) if (f.entries.some((e) => e.id === opId)) return true;
    return false;
  }

  /**
   * Sends the ops of `pending` not already in flight, in order, in at most
   * `maxFrames` frames; answers whether every op went out (false: the rest
   * waits for the next flush, still in order).
   */
  flush(pending: readonly StampedOp[], maxFrames = Infinity): boolean {
    const inFlight = new Set<string>();
    for (const f of this.inflight.values()) for (const e of f.entries) inFlight.add(e.id);
    let frames = 0;
    let chunk: StampedOp[] = [];
    let ops = 0;
    let bytes = 0;
    for (const entry of pending) {
      if (inFlight.has(entry.id)) continue;
      const n = flatOps(entry).length;
      const size = JSON.stringify(entry).length;
      if (chunk.length && (ops + n > BATCH_OPS || bytes + size > BATCH_BYTES)) {
        if (frames >= maxFrames || !this.frame(chunk)) return false;
        frames += 1;
        chunk = [];
        ops = bytes = 0;
      }
      chunk.push(entry);
      ops += n;
      bytes += size;
    }
    if (!chunk.length) return true;
    return frames < maxFrames && this.frame(chunk);
  }

  /** Sends entries as one frame: the op itself when alone (its id is the frame id), else a BATCH; false when the socket is not open. */
  frame(entries: StampedOp[]): boolean {
    const sent = { entries, sentAt: this.now(), round: this.round };
    if (entries.length === 1) {
      const op = entries[0]!;
      if (!this.send(opFrame(this.sessionId, op))) return false;
      this.inflight.set(op.id, sent);
      return true;
    }
    const id = newId('sb');
    if (!this.send({ id, type: 'BATCH', session_id: this.sessionId, data: { ops: entries.flatMap(flatOps) } })) return false;
    this.inflight.set(id, sent);
    return true;
  }

  /** Sends an in-gesture value: fanned out, neither logged nor acked (the gesture's final value is). */
  ephemeral(op: StampedOp): void {
    this.send(opFrame(this.sessionId, { ...op, id: newId(EPHEMERAL_PREFIX) } as StampedOp, true));
  }
}
