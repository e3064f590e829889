import { apply, HlcClock, stampOp } from '../../src/model/index.ts';
import type { AnyOp } from '../../src/protocol/ops.ts';
import type { SessionDocument } from '../../src/protocol/session.ts';

/**
 * `doc` as a session looks after an hour of work on it: every register (each
 * track's fields, each plugin's params) written once through the model, so
 * `meta.clocks` holds a clock per register, as in a session the relay or the
 * store hands back. A freshly parsed reference session has no clocks at all,
 * which hides any per-op cost proportional to them.
 */
export function livedIn(doc: SessionDocument): SessionDocument {
  const clock = new HlcClock('n_lived');
  let n = 0;
  const write = (op: Omit<AnyOp, 'id'>) => {
    const out = apply(doc, stampOp(doc, { id: `op_lived${n++}`, ...op } as AnyOp, clock));
    if (out.result.status !== 'applied') throw new Error(`lived-in session: ${op.type} was not applied`);
    doc = out.doc;
  };
  for (const t of [...doc.tracks, doc.master]) {
    const { name, gain_db, pan, mute, solo, sends } = t;
    write({ type: 'UPDATE_TRACK', data: { track_id: t.id, changes: { name: `${name} `, gain_db: gain_db - 1, pan, mute: !mute, solo, sends } } });
    write({ type: 'UPDATE_TRACK', data: { track_id: t.id, changes: { name, gain_db, mute } } });
    for (const p of t.chain) {
      for (const [parameter_id, parameter_value] of Object.entries(p.params)) {
        write({ type: 'PLUGIN_PARAMETER', data: { track_id: t.id, plugin_id: p.id, parameter_id, parameter_value } });
      }
    }
  }
  return doc;
}
