/**
 * Outbox compaction: which waiting op a newer one makes redundant.
 *
 * Every scalar of the document is a last-writer-wins register (SPEC §5), so
 * of several waiting ops that each set the same one scalar, only the newest
 * can matter: the older ones would be superseded on arrival. Dropping them
 * is safe in any order with structure ops, because the newest op stays where
 * it was made — after the ADD_TRACK or ADD_PLUGIN it depends on — and ids
 * are never reused, so a key never spans a removal and a re-add.
 */
import { controlKey } from '../protocol/controls.ts';
import type { AnyOp } from '../protocol/ops.ts';

/** The register an op sets, when it sets exactly one; ops sharing a key compact to the newest. */
export type CompactionKey = string;

/**
 * The one scalar `op` sets, or null when it sets none or several (structure
 * ops, presets, a BATCH, a multi-field update): those are never compacted.
 * Controls (params, gain, pan, mute, solo) use {@link controlKey}; the other
 * scalars a person edits one at a time get their key here.
 */
export function compactionKey(op: AnyOp): CompactionKey | null {
  const control = controlKey(op);
  if (control !== null) return control;
  switch (op.type) {
    case 'UPDATE_TRACK': {
      const fields = Object.keys(op.data.changes);
      // A track's name, source, pattern or sends: one register each.
      return fields.length === 1 ? `${op.data.track_id}//${fields[0]!}` : null;
    }
    case 'UPDATE_SESSION': {
      const fields = Object.keys(op.data.changes);
      // `#` never appears in an id, so this cannot meet a track's key.
      return fields.length === 1 ? `#session/${fields[0]!}` : null;
    }
    case 'BYPASS_PLUGIN':
      return `${op.data.track_id}/${op.data.plugin_id}/#bypass`;
    default:
      return null;
  }
}
