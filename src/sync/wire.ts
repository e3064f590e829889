import type { StampedOp } from '../model/index.ts';
import { isOpMessage, type ClientMessage, type OpBroadcast } from '../protocol/messages.ts';
import { parseClientMessage } from '../protocol/parse.ts';
import type { OutboardError, Result } from '../protocol/errors.ts';
import type { Op } from '../protocol/ops.ts';

/** An op as received: the stamped op, its seq, who made it, and whether it was an in-gesture value. */
export interface RemoteOp {
  readonly op: StampedOp;
  readonly seq: number;
  readonly changedBy: string;
  readonly ephemeral: boolean;
}

/**
 * Validates an op broadcast's payload with the same strict schema the relay
 * uses for client frames (the broadcast schema only checks the envelope), so
 * a malformed op from the wire never reaches `model.apply`.
 */
export function readBroadcast(frame: OpBroadcast): Result<RemoteOp> {
  const { changed_by: changedBy, ...data } = frame.data;
  const parsed = parseClientMessage({ id: frame.id, type: frame.type, session_id: frame.session_id, hlc: frame.hlc, data });
  if (!parsed.ok) return parsed;
  const msg = parsed.value;
  if (!isOpMessage(msg)) {
    const error: OutboardError = { code: 'INVALID_MESSAGE', message: `${msg.type} is not an op`, field: 'type' };
    return { ok: false, error };
  }
  const { session_id: _s, user_id: _u, ephemeral: _e, ...op } = msg;
  return { ok: true, value: { op: { ...op, hlc: frame.hlc } as StampedOp, seq: frame.seq, changedBy, ephemeral: frame.ephemeral === true } };
}

/** The ops an outbox entry stands for (a BATCH entry's sub-ops, each with its own stamp). */
export function flatOps(op: StampedOp): Op[] {
  return op.type === 'BATCH' ? op.data.ops.map((o) => ({ ...o, hlc: o.hlc ?? op.hlc })) : [op];
}

/** The client frame for one stamped op. */
export function opFrame(sessionId: string, op: StampedOp, ephemeral = false): ClientMessage {
  return { ...op, session_id: sessionId, ...(ephemeral ? { ephemeral: true } : {}) } as ClientMessage;
}

/**
 * Reads an op kept in the outbox (written by this app, possibly by an older
 * build): validated like a frame from the wire; anything unreadable is null.
 */
export function readStoredOp(value: unknown, sessionId: string): StampedOp | null {
  if (typeof value !== 'object' || value === null) return null;
  const hlc = (value as { hlc?: unknown }).hlc;
  if (typeof hlc !== 'string') return null;
  const parsed = parseClientMessage({ ...value, session_id: sessionId });
  if (!parsed.ok || !isOpMessage(parsed.value)) return null;
  const { session_id: _s, user_id: _u, ephemeral: _e, ...op } = parsed.value;
  return { ...op, hlc } as StampedOp;
}
