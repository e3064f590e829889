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
}

/**
 * The sending side of a session: packs pending ops into frames (one op
 * alone, several as a BATCH of up to 50 ops), remembers each frame until
 * its ack or error, and sends in-gesture values under their own ids.
 */
export class Outgoing {
  /** Frames sent and not answered, by frame id (kept across a reconnect to recognise replayed ops of ours). */
  readonly inflight = new Map<string, Frame>();

  constructor(private readonly sessionId: string, private readonly send: (message: ClientMessage) => boolean) {}

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

  /** Sends every op of `pending` not already in flight, in order. */
  flush(pending: readonly StampedOp[]): void {
    const inFlight = new Set<string>();
    for (const f of this.inflight.values()) for (const e of f.entries) inFlight.add(e.id);
    let chunk: StampedOp[] = [];
    let ops = 0;
    let bytes = 0;
    for (const entry of pending) {
      if (inFlight.has(entry.id)) continue;
      const n = flatOps(entry).length;
      const size = JSON.stringify(entry).length;
      if (chunk.length && (ops + n > BATCH_OPS || bytes + size > BATCH_BYTES)) {
        this.frame(chunk);
        chunk = [];
        ops = bytes = 0;
      }
      chunk.push(entry);
      ops += n;
      bytes += size;
    }
    if (chunk.length) this.frame(chunk);
  }

  /** Sends entries as one frame: the op itself when alone (its id is the frame id), else a BATCH. */
  frame(entries: StampedOp[]): void {
    if (entries.length === 1) {
      const op = entries[0]!;
      if (this.send(opFrame(this.sessionId, op))) this.inflight.set(op.id, { entries });
      return;
    }
    const id = newId('sb');
    if (this.send({ id, type: 'BATCH', session_id: this.sessionId, data: { ops: entries.flatMap(flatOps) } })) {
      this.inflight.set(id, { entries });
    }
  }

  /** Sends an in-gesture value: fanned out, neither logged nor acked (the gesture's final value is). */
  ephemeral(op: StampedOp): void {
    this.send(opFrame(this.sessionId, { ...op, id: newId(EPHEMERAL_PREFIX) } as StampedOp, true));
  }
}
