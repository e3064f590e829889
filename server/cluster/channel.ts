/**
 * The messages on a session's pub/sub channel between cluster nodes:
 * `<kind><node id> <body>`. `o`: logged ops `[[seq, user, op], …]`, published
 * by the append script itself (see store/redis.ts), so in seq order; `e`: an
 * in-gesture value, `<hlc> <control key> <frame>` with the frame text the
 * publishing node fans out to its own members, which a receiving node forwards
 * as bytes, unparsed; `p` / `x`: a member's presence, or its leaving; `m`: an
 * audio host's levels (METERS). Only ops are ever logged; the rest is
 * ephemeral and lost with a node, by design.
 */
import type { MetersData, PresenceData } from '../../src/protocol/messages.ts';
import type { StampedOp } from '../../src/model/index.ts';
import type { Outgoing } from '../session/outbox.ts';

/** A logged op as a node consumes it. */
export interface LogOp {
  readonly seq: number;
  readonly user: string;
  readonly op: StampedOp;
}

/** One channel message. */
export type ChannelMessage =
  | { readonly kind: 'o'; readonly node: string; readonly ops: readonly LogOp[] }
  | { readonly kind: 'p'; readonly node: string; readonly user: string; readonly connection: string; readonly data: PresenceData }
  | { readonly kind: 'x'; readonly node: string; readonly user: string; readonly connection: string }
  | { readonly kind: 'm'; readonly node: string; readonly connection: string; readonly data: MetersData };

type Encodable =
  | { readonly kind: 'o'; readonly node: string }
  | Exclude<ChannelMessage, { kind: 'o' }>;

/** Encodes a message; for `o`, only the prefix the append script puts before the ops array. */
export function encodeChannel(msg: Encodable): string {
  const prefix = `${msg.kind}${msg.node} `;
  switch (msg.kind) {
    case 'o': return prefix;
    case 'p': return prefix + JSON.stringify({ u: msg.user, c: msg.connection, d: msg.data });
    case 'x': return prefix + JSON.stringify({ u: msg.user, c: msg.connection });
    case 'm': return prefix + JSON.stringify({ c: msg.connection, d: msg.data });
  }
}

/** Decodes a message; undefined for anything malformed (Redis is trusted, but a stray PUBLISH must not throw). */
export function decodeChannel(text: string): ChannelMessage | undefined {
  const space = text.indexOf(' ');
  if (space < 2) return undefined;
  const kind = text[0];
  const node = text.slice(1, space);
  try {
    const body = JSON.parse(text.slice(space + 1)) as unknown;
    if (kind === 'o' && Array.isArray(body)) {
      return { kind, node, ops: (body as [number, string, StampedOp][]).map(([seq, user, op]) => ({ seq, user, op })) };
    }
    const b = body as { u?: string; c?: string; d?: PresenceData };
    if (kind === 'm' && typeof b.c === 'string' && b.d) return { kind, node, connection: b.c, data: b.d as MetersData };
    if (typeof b.u !== 'string') return undefined;
    if (kind === 'p' && typeof b.c === 'string' && b.d) return { kind, node, user: b.u, connection: b.c, data: b.d };
    if (kind === 'x' && typeof b.c === 'string') return { kind, node, user: b.u, connection: b.c };
  } catch {
    return undefined;
  }
  return undefined;
}

/** An in-gesture value's frame as fanned out (see frames.ts' opFrame): its text, and the control and HLC its coalescing goes by. */
export type ValueFrame = Outgoing & { readonly key: string; readonly hlc: string };

const SPACE = 0x20;
const BRACE = '{'.charCodeAt(0);

/** The channel message of an in-gesture value: `e<node> <hlc> <key> <frame text>` (HLCs and control keys hold no spaces). */
export function encodeValue(node: string, frame: ValueFrame): string {
  return `e${node} ${frame.hlc} ${frame.key} ${frame.text}`;
}

/**
 * The frame of an `e` message, ready to send: its bytes copied out of
 * `message` as the publishing node built them, never parsed (so its `seq` is
 * the publishing node's, the seq the value was validated at). Undefined for
 * anything malformed (a stray PUBLISH must not throw).
 */
export function decodeValue(message: Buffer): ValueFrame | undefined {
  const afterNode = message.indexOf(SPACE) + 1;
  const afterHlc = afterNode > 0 ? message.indexOf(SPACE, afterNode) + 1 : 0;
  const afterKey = afterHlc > 0 ? message.indexOf(SPACE, afterHlc) + 1 : 0;
  if (afterKey === 0 || message[afterKey] !== BRACE) return undefined;
  return {
    hlc: message.toString('latin1', afterNode, afterHlc - 1),
    key: message.toString('utf8', afterHlc, afterKey - 1),
    text: message.toString('utf8', afterKey),
    // A copy: a view would keep the whole socket chunk alive while the frame waits in a slow member's queue.
    bytes: Buffer.from(message.subarray(afterKey)),
  };
}
