import type { AnyOp, Op } from '../protocol/ops.ts';
import type { SessionDocument } from '../protocol/session.ts';
import { applyOp, type StampedOp } from './apply.ts';
import { chainOrder, findTrack } from './draft.ts';
import type { HlcClock } from './hlc.ts';
import { positionAt } from './order.ts';
import { trackOrder, trackPositionAt } from './ops-track.ts';
import { resolvePreset } from './presets.ts';

/** Fills what the op leaves to the replica's state: order keys and a preset's values. */
function deriveFields(doc: SessionDocument, op: Op): Op {
  switch (op.type) {
    case 'ADD_TRACK':
      return op.data.position ? op : { ...op, data: { ...op.data, position: trackPositionAt(doc, op.data.index) } };
    case 'MOVE_TRACK': {
      if (op.data.position) return op;
      const others = trackOrder(doc).filter((t) => t.id !== op.data.track_id);
      return { ...op, data: { ...op.data, position: positionAt(others, op.data.index) } };
    }
    case 'ADD_PLUGIN': {
      const track = findTrack(doc, op.data.track_id);
      if (!track || op.data.position) return op;
      return { ...op, data: { ...op.data, position: positionAt(chainOrder(doc.meta, track.id, track.chain), op.data.index) } };
    }
    case 'MOVE_PLUGIN': {
      const track = findTrack(doc, op.data.track_id);
      if (!track || op.data.position) return op;
      const others = track.chain.filter((p) => p.id !== op.data.plugin_id);
      return { ...op, data: { ...op.data, position: positionAt(chainOrder(doc.meta, track.id, others), op.data.index) } };
    }
    case 'LOAD_PRESET': {
      if (op.data.params) return op;
      const plugin = findTrack(doc, op.data.track_id)?.chain.find((p) => p.id === op.data.plugin_id);
      const preset = resolvePreset(doc, op.data.preset_id);
      // A missing or mismatched preset stays unresolved, so apply reports PRESET_LOAD_FAILED.
      if (!plugin || !preset || preset.plugin_type !== plugin.type) return op;
      return { ...op, data: { ...op.data, params: { ...preset.params } } };
    }
    default:
      return op;
  }
}

/**
 * Makes an op ready to apply and to send: an HLC stamp when it has none (the
 * clock observes one it has), and the fields every replica must agree on —
 * order keys for ADD_TRACK/MOVE_TRACK/ADD_PLUGIN/MOVE_PLUGIN and the values of a
 * LOAD_PRESET — derived from `doc`, the stamper's current document. The
 * relay stamps every op on arrival, so HTTP clients and scripts may omit them.
 */
export function stampOp(doc: SessionDocument, op: AnyOp, clock: HlcClock): StampedOp {
  if (op.hlc) clock.observe(op.hlc);
  const hlc = op.hlc ?? clock.now();
  if (op.type !== 'BATCH') return { ...deriveFields(doc, op), hlc } as StampedOp;
  let scratch = doc;
  const ops: Op[] = [];
  for (const sub of op.data.ops) {
    const stamped = { ...deriveFields(scratch, sub), hlc: sub.hlc ?? hlc } as Op;
    ops.push(stamped);
    scratch = applyOp(scratch, stamped, stamped.hlc ?? hlc).doc;
  }
  return { ...op, hlc, data: { ops } };
}
