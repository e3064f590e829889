import type { SessionDocument } from '../protocol/session.ts';
import type { Seconds } from '../protocol/units.ts';

/**
 * Where the shared transport is at `now` (ms since the Unix epoch, this
 * device's clock), in seconds from its start: each audio host computes it on
 * its own clock from the document's `started_at`, so hosts play in step
 * without talking to each other. 0 when stopped, when the document does not
 * say (a session saved before positions were shared), or when this device's
 * clock is behind the one that pressed Play.
 */
export function transportPosition(doc: SessionDocument | null, now = Date.now()): Seconds {
  if (!doc?.playing || doc.started_at === undefined) return 0;
  return Math.max(0, (now - doc.started_at) / 1000);
}
