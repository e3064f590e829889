import { apply, type StampedOp } from '../model/index.ts';
import type { Seq } from '../protocol/ids.ts';
import type { SessionDocument } from '../protocol/session.ts';
import { compactionKey } from './compaction.ts';

/**
 * What this device knows of a session, split the way rollback needs it:
 * the last document the relay confirmed (its snapshot, every op it fanned
 * out, every op of ours it acked) and our durable ops it has not acked yet,
 * in the order they were made. The document the user sees is always
 * `confirmed + pending` (plus in-gesture values that the next durable op
 * replaces), so dropping a refused op and rebuilding leaves no trace of it.
 */
export class Replica {
  confirmed: SessionDocument | null = null;
  /** The last durable seq seen (the resume cursor). */
  seq: Seq = 0;
  readonly pending: StampedOp[] = [];

  /** The relay's whole document (a SNAPSHOT, or the answer of a publish). */
  setConfirmed(doc: SessionDocument, seq: Seq): void {
    this.confirmed = doc;
    this.seq = seq;
  }

  /** Queues a local durable op (already applied locally) unless it is queued already. */
  addPending(op: StampedOp): boolean {
    if (this.pending.some((p) => p.id === op.id)) return false;
    this.pending.push(op);
    return true;
  }

  /**
   * Queues a local durable op, compacting per scalar like the stored outbox
   * does: a waiting op that sets the same register (and `droppable` says is
   * not on its way) is dropped, since the newer one wins on arrival anyway.
   * Answers whether `op` was added and the ids dropped for it.
   */
  queue(op: StampedOp, droppable: (id: string) => boolean): { added: boolean; dropped: string[] } {
    const key = compactionKey(op);
    const dropped = key === null ? [] : this.pending.filter((p) => p.id !== op.id && compactionKey(p) === key && droppable(p.id)).map((p) => p.id);
    this.#remove(dropped);
    return { added: this.addPending(op), dropped };
  }

  /** Whether an op id waits for its ack. */
  isPending(id: string): boolean {
    return this.pending.some((p) => p.id === id);
  }

  /** The relay acked these ops (at `seq`): they join the confirmed document, in their order. */
  confirm(ids: readonly string[], seq: Seq): StampedOp[] {
    const done = this.pending.filter((p) => ids.includes(p.id));
    for (const op of done) this.#applyConfirmed(op);
    this.#remove(ids);
    this.seq = Math.max(this.seq, seq);
    return done;
  }

  /** A durable op from another member (or our own, replayed after a lost ack). */
  applyRemote(op: StampedOp, seq: Seq): void {
    this.#applyConfirmed(op);
    this.seq = Math.max(this.seq, seq);
  }

  /** Drops a refused op; answers it when it was pending. */
  drop(id: string): StampedOp | undefined {
    const op = this.pending.find((p) => p.id === id);
    this.#remove([id]);
    return op;
  }

  /** The confirmed document with every pending op applied on top (null before the relay answered). */
  rebuild(): SessionDocument | null {
    let doc = this.confirmed;
    if (!doc) return null;
    // A pending op that no longer applies (it depended on a refused one) is left for the relay to refuse too.
    for (const op of this.pending) doc = apply(doc, op).doc;
    return doc;
  }

  #applyConfirmed(op: StampedOp): void {
    if (this.confirmed) this.confirmed = apply(this.confirmed, op).doc;
  }

  #remove(ids: readonly string[]): void {
    for (let i = this.pending.length - 1; i >= 0; i -= 1) {
      if (ids.includes(this.pending[i]!.id)) this.pending.splice(i, 1);
    }
  }
}
