/**
 * Publishing an owner's copy with `PUT /api/sessions/:id`: a session made
 * offline, or one the relay lost (a wiped data dir), is merged into the
 * relay's before anything replaces it. The relay merges it exactly as its
 * edits would have been (LWW by the clocks in the document, removals win), so
 * publishing again is harmless, and the outbox entries it covers are done.
 *
 * Safe around edits: the ops it covers are the ones waiting when the `PUT`
 * left; an edit made while it is on its way is a new op (compaction never
 * rewrites a waiting op in place), so it stays queued and is sent after.
 */
import type { OutboardError } from '../protocol/errors.ts';
import { publishSession, type RelayHttpOptions } from './http.ts';
import type { Replica } from './replica.ts';
import type { OutboxPort, SyncHost } from './types.ts';

/** What a publisher needs from its session. */
export interface PublisherPort {
  readonly sessionId: string;
  readonly host: SyncHost;
  readonly replica: Replica;
  readonly outbox: OutboxPort;
  http(): RelayHttpOptions;
  /** The merged document arrived: show confirmed + pending. */
  merged(): void;
  /** The relay refused the copy (reported, not retried). */
  refused(error: OutboardError): void;
}

/** Publishes an owner's copy once per session start, until it lands. */
export class Publisher {
  /** The copy has not reached the relay yet: each connection attempt publishes first. */
  needed = false;
  /** A `PUT` is on its way: its answer, not a snapshot, decides the document. */
  inProgress = false;

  constructor(private readonly port: PublisherPort) {}

  /** Publishes the local document; answers false when the relay could not be reached or refused it. */
  async publish(): Promise<boolean> {
    const { host, replica, outbox, sessionId } = this.port;
    const doc = host.doc;
    if (!doc || doc.id !== sessionId) {
      this.needed = false;
      return true;
    }
    const covered = replica.pending.map((p) => p.id);
    this.inProgress = true;
    const res = await publishSession(this.port.http(), doc).finally(() => (this.inProgress = false));
    if (!res.ok) {
      if (res.error.code === 'ENGINE_ERROR') return false;
      this.needed = false;
      this.port.refused(res.error);
      return false;
    }
    this.needed = false;
    // A snapshot may have come meanwhile; the merged document is at least as new (its seq says).
    if (res.value.seq >= replica.seq || !replica.confirmed) replica.setConfirmed(res.value.document, res.value.seq);
    replica.confirm(covered, res.value.seq);
    await outbox.remove(sessionId, covered);
    this.port.merged();
    return true;
  }
}
