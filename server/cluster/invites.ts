/**
 * Invites on a cluster (SPEC §6, §8): kept in Redis so an invite made on one
 * node is listed, checked and revoked on any other, and no node holds one
 * another node could not see.
 *
 * - `{ob}:invite:<id>`: the record, JSON (the single node's columns);
 * - `{ob}:invites:<session>`: a sorted set, invite id -> created_at, for the listing.
 *
 * A revocation is published on the session's channel (`r<node> <record>`):
 * the nodes with members of that session are the ones subscribed to it, and
 * each closes the revoked invite's sockets with 4403, as the single node does.
 */
import type { Redis } from 'ioredis';
import { inviteProblem, newInvite, type InviteProblem, type InviteRecord, type Invites } from '../auth/invites.ts';
import { storageCall } from '../session/types.ts';
import { sessionKeys, type RedisStore } from '../store/redis.ts';

const inviteKey = (id: string) => `{ob}:invite:${id}`;
const sessionInvitesKey = (sessionId: string) => `{ob}:invites:${sessionId}`;

/** The channel message of a revocation: `r<node> <record JSON>`. */
const REVOKED = 'r';
const REVOKED_KIND = REVOKED.charCodeAt(0);

const parse = (text: string | null): InviteRecord | undefined => (text ? (JSON.parse(text) as InviteRecord) : undefined);

/** Invites shared by the nodes of a cluster. */
export class RedisInvites implements Invites {
  private readonly redis: Redis;
  private readonly listeners = new Set<(invite: InviteRecord) => void>();

  constructor(private readonly store: RedisStore, private readonly nodeId: string, private readonly now: () => number = Date.now) {
    this.redis = store.client;
    store.onMessage((_session, bytes) => {
      if (bytes[0] !== REVOKED_KIND) return;
      const message = bytes.toString();
      const space = message.indexOf(' ');
      // This node told its own listeners when it revoked.
      if (space < 2 || message.slice(1, space) === this.nodeId) return;
      const record = parse(message.slice(space + 1));
      if (record) this.emit(record);
    });
  }

  async create(input: Parameters<Invites['create']>[0]): Promise<InviteRecord> {
    const record = newInvite(input, this.now());
    await storageCall(this.redis.multi().set(inviteKey(record.id), JSON.stringify(record)).zadd(sessionInvitesKey(record.session_id), record.created_at, record.id).exec());
    return record;
  }

  async get(id: string): Promise<InviteRecord | undefined> {
    return parse(await storageCall(this.redis.get(inviteKey(id))));
  }

  async list(sessionId: string): Promise<InviteRecord[]> {
    const ids = await storageCall(this.redis.zrevrange(sessionInvitesKey(sessionId), '0', '-1'));
    if (ids.length === 0) return [];
    return (await storageCall(this.redis.mget(ids.map(inviteKey)))).map(parse).filter((r): r is InviteRecord => r !== undefined);
  }

  async revoke(sessionId: string, id: string): Promise<InviteRecord | undefined> {
    const found = await this.get(id);
    if (!found || found.session_id !== sessionId) return undefined;
    if (found.revoked_at !== null) return found;
    const revoked: InviteRecord = { ...found, revoked_at: this.now() };
    const text = JSON.stringify(revoked);
    await storageCall(this.redis.multi().set(inviteKey(id), text).publish(sessionKeys(sessionId).channel, `${REVOKED}${this.nodeId} ${text}`).exec());
    this.emit(revoked);
    return revoked;
  }

  async problem(id: string): Promise<InviteProblem> {
    return inviteProblem(await this.get(id), this.now());
  }

  async removeSession(sessionId: string): Promise<void> {
    const key = sessionInvitesKey(sessionId);
    const ids = await storageCall(this.redis.zrange(key, '0', '-1'));
    await storageCall(this.redis.del(key, ...ids.map(inviteKey)));
  }

  onRevoked(listener: (invite: InviteRecord) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(invite: InviteRecord): void {
    for (const l of this.listeners) l(invite);
  }

  /** Nothing of its own to release: the store's connections close with the store. */
  close(): void {}
}
