/**
 * Who is in a session and what they touch, across cluster nodes: this node's
 * members directly, the other nodes' through the session channel. Nothing of
 * it is stored; a node that dies says no goodbye, so its members' presence is
 * cleared when the heartbeat's node list no longer has it.
 */
import type { PresenceData } from '../../src/protocol/messages.ts';
import { presenceFrame } from '../session/frames.ts';
import type { Member } from '../session/hub.ts';
import type { Outgoing } from '../session/outbox.ts';
import { encodeChannel, type ChannelMessage } from './channel.ts';

/** The presence of one session on one node. */
export class ClusterPresence {
  private readonly local = new Map<Member, PresenceData>();
  /** Members of other nodes, by connection id. */
  private readonly remote = new Map<string, { node: string; user: string; data: PresenceData }>();

  constructor(
    private readonly sessionId: string,
    private readonly nodeId: string,
    /** Publishes on the session channel (best effort: presence is ephemeral). */
    private readonly publish: (message: string) => void,
    /** Sends a frame to this node's members but `except`. */
    private readonly broadcast: (frame: Outgoing, except?: Member) => void,
  ) {}

  /** A member of this node touches something (or nothing). */
  set(member: Member, data: PresenceData): void {
    this.local.set(member, data);
    this.broadcast(presenceFrame(this.sessionId, member, data), member);
    this.publish(encodeChannel({ kind: 'p', node: this.nodeId, user: member.user, connection: member.connectionId, data }));
  }

  /** A member of this node left. */
  leave(member: Member): void {
    if (!this.local.delete(member)) return;
    this.broadcast(presenceFrame(this.sessionId, member, {}, true), member);
    this.publish(encodeChannel({ kind: 'x', node: this.nodeId, user: member.user, connection: member.connectionId }));
  }

  /** Another node's member touched something, or left. */
  onRemote(msg: Extract<ChannelMessage, { kind: 'p' | 'x' }>): void {
    const who = { user: msg.user, connectionId: msg.connection };
    if (msg.kind === 'p') {
      this.remote.set(msg.connection, { node: msg.node, user: msg.user, data: msg.data });
      this.broadcast(presenceFrame(this.sessionId, who, msg.data));
    } else {
      this.remote.delete(msg.connection);
      this.broadcast(presenceFrame(this.sessionId, who, {}, true));
    }
  }

  /** Members of nodes no longer alive leave. */
  forgetNodes(live: ReadonlySet<string>): void {
    for (const [connectionId, p] of this.remote) {
      if (live.has(p.node)) continue;
      this.remote.delete(connectionId);
      this.broadcast(presenceFrame(this.sessionId, { user: p.user, connectionId }, {}, true));
    }
  }

  /** Everyone's presence, for a member who just joined. */
  replay(member: Member): void {
    for (const [other, data] of this.local) member.deliver(presenceFrame(this.sessionId, other, data));
    for (const [connectionId, p] of this.remote) member.deliver(presenceFrame(this.sessionId, { user: p.user, connectionId }, p.data));
  }
}
