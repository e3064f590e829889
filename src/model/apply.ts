import { outboardError, type OutboardError } from '../protocol/errors.ts';
import type { Hlc } from '../protocol/ids.ts';
import type { Batch, Op } from '../protocol/ops.ts';
import type { SessionDocument } from '../protocol/session.ts';
import { addPlugin, bypassPlugin, loadPreset, movePlugin, removePlugin, setParameter } from './ops-plugin.ts';
import { updateSession } from './ops-session.ts';
import { addTrack, moveTrack, removeTrack, updateTrack } from './ops-track.ts';
import { applied, rejected, superseded, type Applied } from './outcome.ts';
import { savePreset } from './presets.ts';

/** An op ready to apply: it carries its HLC stamp (ops inside a BATCH inherit the batch's when they have none). */
export type StampedOp = (Op & { readonly hlc: Hlc }) | (Batch & { readonly hlc: Hlc });

/** Applies one op (not a batch) at clock `hlc`. */
export function applyOp(doc: SessionDocument, op: Op, hlc: Hlc): Applied {
  switch (op.type) {
    case 'PLUGIN_PARAMETER': return setParameter(doc, op.data, hlc);
    case 'ADD_TRACK': return addTrack(doc, op.data, hlc);
    case 'REMOVE_TRACK': return removeTrack(doc, op.data, hlc);
    case 'UPDATE_TRACK': return updateTrack(doc, op.data, hlc);
    case 'MOVE_TRACK': return moveTrack(doc, op.data, hlc);
    case 'ADD_PLUGIN': return addPlugin(doc, op.data, hlc);
    case 'REMOVE_PLUGIN': return removePlugin(doc, op.data, hlc);
    case 'MOVE_PLUGIN': return movePlugin(doc, op.data, hlc);
    case 'BYPASS_PLUGIN': return bypassPlugin(doc, op.data, hlc);
    case 'LOAD_PRESET': return loadPreset(doc, op.data, hlc);
    case 'SAVE_PRESET': return savePreset(doc, op.data, hlc);
    case 'UPDATE_SESSION': return updateSession(doc, op.data, hlc);
  }
}

function inBatch(error: OutboardError, index: number, type: string): OutboardError {
  const field = error.field ? `data.ops.${index}.${error.field}` : `data.ops.${index}`;
  return outboardError(error.code, `ops[${index}] (${type}): ${error.message}`, field);
}

/** BATCH: ops applied in order, all or nothing: one error rejects the whole batch. */
function applyBatch(doc: SessionDocument, batch: Batch & { readonly hlc: Hlc }): Applied {
  let current = doc;
  let changed = false;
  for (const [i, op] of batch.data.ops.entries()) {
    const out = applyOp(current, op, op.hlc ?? batch.hlc);
    if (out.result.status === 'error') return rejected(doc, inBatch(out.result.error, i, op.type));
    if (out.result.status === 'applied') {
      current = out.doc;
      changed = true;
    }
  }
  return changed ? applied(current) : superseded(doc, 'every op in the batch was superseded');
}

/**
 * Applies a stamped op to a session document. Pure: the input is never
 * mutated, and on `error` or `superseded` the input document is returned as
 * is. Every scalar is a last-writer-wins register ordered by HLC; removals
 * leave tombstones that win over concurrent edits; list order comes from
 * fractional keys stamped into the op. So any delivery order of the same ops
 * (each after the ops it depends on), with duplicates, converges.
 */
export function apply(doc: SessionDocument, op: StampedOp): Applied {
  try {
    return op.type === 'BATCH' ? applyBatch(doc, op) : applyOp(doc, op, op.hlc);
  } catch (error) {
    // Ops are validated at the boundary; this only guards a caller that skipped it.
    return rejected(doc, outboardError('INVALID_MESSAGE', `op could not be applied: ${error instanceof Error ? error.message : String(error)}`));
  }
}
