/**
 * Relay -> client frames (SPEC §5), serialized once and sent as text to every
 * receiver. Shapes match `RelayMessageSchema` in src/protocol/messages.ts.
 */
import type { OutboardError } from '../../src/protocol/errors.ts';
import type { MetersData, PresenceData, Role } from '../../src/protocol/messages.ts';
import { controlKey } from '../../src/protocol/controls.ts';
import { isGestureValue } from '../../src/protocol/ops.ts';
import type { SessionDocument } from '../../src/protocol/session.ts';
import type { StampedOp } from '../../src/model/index.ts';
import type { Outgoing } from './outbox.ts';

/** An applied op as fanned out: the envelope, `seq`, and `data.changed_by` from the token. */
export function opFrame(sessionId: string, op: StampedOp, seq: number, user: string, ephemeral = false): Outgoing {
  const data = { ...op.data, changed_by: user };
  const text = JSON.stringify(ephemeral
    ? { id: op.id, type: op.type, session_id: sessionId, hlc: op.hlc, seq, ephemeral: true, data }
    : { id: op.id, type: op.type, session_id: sessionId, hlc: op.hlc, seq, data });
  // Encoded once here rather than once per receiver inside ws.send.
  const bytes = Buffer.from(text);
  // Parameter values (and a fader's gain or pan) coalesce per control in a backed-up receiver's queue.
  const key = isGestureValue(op) ? controlKey(op) : null;
  return key === null ? { text, bytes } : { text, bytes, key, hlc: op.hlc };
}

/** WELCOME; `maxMessagesPerSecond` (when the member has a rate limit) lets the client pace its outbox under it. */
export const welcomeFrame = (sessionId: string, user: string, role: Role, seq: number, maxMessagesPerSecond?: number): Outgoing => ({
  text: JSON.stringify({
    type: 'WELCOME',
    data: { session_id: sessionId, user_id: user, role, seq, ...(maxMessagesPerSecond !== undefined ? { max_messages_per_second: maxMessagesPerSecond } : {}) },
  }),
});

export const snapshotFrame = (doc: SessionDocument, seq: number): Outgoing => ({
  text: JSON.stringify({ type: 'SNAPSHOT', seq, data: { document: doc } }),
});

export const syncedFrame = (seq: number): Outgoing => ({ text: JSON.stringify({ type: 'SYNCED', seq }) });

export const ackFrame = (id: string, seq: number, superseded: boolean): Outgoing => ({
  text: JSON.stringify(superseded ? { type: 'ack', id, seq, superseded: true } : { type: 'ack', id, seq }),
});

/** An error answer; `id` is the client's message id when it could be read. */
export function errorFrame(error: OutboardError, id?: string): Outgoing {
  const data = error.field === undefined ? { code: error.code, message: error.message } : { code: error.code, message: error.message, field: error.field };
  return { text: JSON.stringify(id === undefined ? { type: 'error', data } : { type: 'error', id, data }) };
}

/** What a member is touching, as shown to the others; `left` when it went away. */
export function presenceFrame(sessionId: string, member: { readonly user: string; readonly connectionId: string }, data: PresenceData, left = false): Outgoing {
  return {
    text: JSON.stringify({
      type: 'PRESENCE', session_id: sessionId,
      data: { ...data, user_id: member.user, connection_id: member.connectionId, ...(left ? { left: true } : {}) },
    }),
  };
}

/**
 * An audio host's levels as fanned out. Keyed per sender: a backed-up
 * receiver's queue keeps only the newest levels of each host (stale levels
 * are worth nothing), so meters never pile up in front of edits.
 */
export function metersFrame(sessionId: string, member: { readonly connectionId: string }, data: MetersData): Outgoing {
  const text = JSON.stringify({ type: 'METERS', session_id: sessionId, data: { ...data, connection_id: member.connectionId } });
  return { text, bytes: Buffer.from(text), key: `meters:${member.connectionId}` };
}
