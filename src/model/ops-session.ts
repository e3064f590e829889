import type { Hlc } from '../protocol/ids.ts';
import { UpdateSessionData, type OpData } from '../protocol/ops.ts';
import { zodToError } from '../protocol/parse.ts';
import type { SessionDocument } from '../protocol/session.ts';
import { clockOf, takes, withMeta } from './draft.ts';
import { keys } from './keys.ts';
import { applied, rejected, superseded, type Applied } from './outcome.ts';

/** UPDATE_SESSION: name and tempo, each a last-writer-wins register. */
export function updateSession(doc: SessionDocument, data: OpData<'UPDATE_SESSION'>, hlc: Hlc): Applied {
  const checked = UpdateSessionData.safeParse(data);
  if (!checked.success) {
    const error = zodToError(checked.error, 'INVALID_PARAMETER');
    return rejected(doc, { ...error, field: `data.${error.field ?? 'changes'}` });
  }
  const next: Record<string, unknown> = { ...doc };
  const clocks: Record<string, Hlc> = {};
  for (const [field, value] of Object.entries(data.changes)) {
    if (value === undefined) continue;
    const key = keys.session(field);
    if (!takes(hlc, clockOf(doc.meta, key), next[field], value)) continue;
    next[field] = value;
    clocks[key] = hlc;
  }
  if (Object.keys(clocks).length === 0) return superseded(doc, 'later writes won every changed field');
  return applied({ ...(next as SessionDocument), meta: withMeta(doc.meta, clocks) });
}
