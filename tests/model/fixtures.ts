import type { AnyOp } from '../../src/protocol/ops.ts';
import type { SessionDocument } from '../../src/protocol/session.ts';
import { apply, createSession, HlcClock, stampOp } from '../../src/model/index.ts';

/** A replica as a client holds one: a document and a clock. */
export class Replica {
  doc: SessionDocument;
  readonly clock: HlcClock;

  constructor(node: string, doc: SessionDocument = createSession({ id: 'sess1', name: 'Demo' }), now: () => number = () => 1_700_000_000_000) {
    this.doc = doc;
    this.clock = new HlcClock(node, now);
  }

  /** Stamps and applies a local op, like a UI gesture; answers the stamped op and the result. */
  edit(op: AnyOp) {
    const stamped = stampOp(this.doc, op, this.clock);
    const out = apply(this.doc, stamped);
    this.doc = out.doc;
    return { op: stamped, result: out.result };
  }
}

let counter = 0;
/** A fresh op id. */
export const opId = () => `op_${++counter}`;
