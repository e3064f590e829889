/**
 * `controlKey(op)` is the one answer to "which control does this op move":
 * every op type, checked against what each user of the key needs — the
 * surface's keys for a fader or knob, presence on the wire, the relay's
 * newest-wins queue and the gesture stream's coalescing.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  controlKey, controlTarget, paramControlKey, targetKey, trackControlKey, TRACK_CONTROL_FIELDS,
} from '../../src/protocol/controls.ts';
import { PresenceDataSchema } from '../../src/protocol/messages.ts';
import { OpSchema, type AnyOp, type Op } from '../../src/protocol/ops.ts';
import { TRACK_GAIN_RANGE } from '../../src/protocol/session.ts';
import { GestureStream } from '../../src/sync/gesture-stream.ts';
import { opFrame } from '../../server/session/frames.ts';
import type { StampedOp } from '../../src/model/index.ts';

const id = fc.stringMatching(/^[A-Za-z0-9_-]{1,8}$/);
const param = fc.constantFrom('cutoff', 'q', 'gain_db', 'mix', 'time_ms');
const trackChanges = fc.record(
  {
    name: fc.string({ minLength: 1, maxLength: 8 }).filter((n) => n.trim() !== ''), gain_db: fc.double({ min: TRACK_GAIN_RANGE.min, max: TRACK_GAIN_RANGE.max, noNaN: true }),
    pan: fc.double({ min: -1, max: 1, noNaN: true }), mute: fc.boolean(), solo: fc.boolean(),
    source: fc.constant({ kind: 'none' as const }),
  },
  { requiredKeys: [] },
).filter((c) => Object.keys(c).length > 0);

/** One op of every type the protocol has, valid against its schema. */
const anyOp: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ id, type: fc.constant('PLUGIN_PARAMETER'), data: fc.record({ track_id: id, plugin_id: id, parameter_id: param, parameter_value: fc.double({ noNaN: true, noDefaultInfinity: true }) }) }),
  fc.record({ id, type: fc.constant('ADD_TRACK'), data: fc.record({ track: fc.record({ id }) }) }),
  fc.record({ id, type: fc.constant('REMOVE_TRACK'), data: fc.record({ track_id: id }) }),
  fc.record({ id, type: fc.constant('UPDATE_TRACK'), data: fc.record({ track_id: id, changes: trackChanges }) }),
  fc.record({ id, type: fc.constant('MOVE_TRACK'), data: fc.record({ track_id: id, index: fc.nat(10) }) }),
  fc.record({ id, type: fc.constant('ADD_PLUGIN'), data: fc.record({ track_id: id, plugin: fc.record({ id, type: fc.constant('filter') }) }) }),
  fc.record({ id, type: fc.constant('REMOVE_PLUGIN'), data: fc.record({ track_id: id, plugin_id: id }) }),
  fc.record({ id, type: fc.constant('MOVE_PLUGIN'), data: fc.record({ track_id: id, plugin_id: id, index: fc.nat(10) }) }),
  fc.record({ id, type: fc.constant('BYPASS_PLUGIN'), data: fc.record({ track_id: id, plugin_id: id, bypass: fc.boolean() }) }),
  fc.record({ id, type: fc.constant('LOAD_PRESET'), data: fc.record({ track_id: id, plugin_id: id, preset_id: id }) }),
  fc.record({ id, type: fc.constant('SAVE_PRESET'), data: fc.record({ preset: fc.record({ id, name: fc.constant('P'), plugin_type: fc.constant('filter'), params: fc.constant({ cutoff: 440 }) }) }) }),
  fc.record({ id, type: fc.constant('UPDATE_SESSION'), data: fc.record({ changes: fc.record({ tempo_bpm: fc.integer({ min: 40, max: 240 }) }) }) }),
) as fc.Arbitrary<Op>;
const anyOrBatch: fc.Arbitrary<AnyOp> = fc.oneof(
  anyOp,
  fc.record({ id, type: fc.constant('BATCH' as const), data: fc.record({ ops: fc.array(anyOp, { minLength: 1, maxLength: 4 }) }) }),
);

/** The single scalar an op moves, worked out independently of the implementation. */
function expectedControl(op: AnyOp): string | null {
  if (op.type === 'PLUGIN_PARAMETER') return paramControlKey(op.data.track_id, op.data.plugin_id, op.data.parameter_id);
  if (op.type !== 'UPDATE_TRACK') return null;
  const fields = Object.keys(op.data.changes);
  const controls = TRACK_CONTROL_FIELDS.filter((f) => fields.includes(f));
  return fields.length === 1 && controls.length === 1 ? trackControlKey(op.data.track_id, controls[0]!) : null;
}

const stamped = (op: AnyOp): StampedOp => ({ ...op, hlc: '0000000000001:0000:n1' }) as StampedOp;

describe('controlKey', () => {
  it('the generator covers every op type, each valid against the schema', () => {
    const seen = new Set<string>();
    fc.assert(fc.property(anyOp, (op) => {
      seen.add(op.type);
      expect(OpSchema.safeParse(op).success).toBe(true);
    }), { numRuns: 600 });
    expect(seen.size).toBe(OpSchema.options.length);
  });

  it('names the one control an op moves, and nothing for structure, names, presets or several controls', () => {
    fc.assert(fc.property(anyOrBatch, (op) => {
      expect(controlKey(op)).toBe(expectedControl(op));
    }), { numRuns: 1000 });
  });

  it('two ops share a key exactly when they move the same control', () => {
    // Few ids, so that the same control comes up often.
    const few = fc.constantFrom('a', 'b', 'a-b', 'ab');
    const controlOp: fc.Arbitrary<Op> = fc.oneof(
      fc.record({ id, type: fc.constant('PLUGIN_PARAMETER'), data: fc.record({ track_id: few, plugin_id: few, parameter_id: param, parameter_value: fc.constant(1) }) }),
      fc.record({ id, type: fc.constant('UPDATE_TRACK'), data: fc.record({ track_id: few, changes: fc.constantFrom({ gain_db: 0 }, { pan: 0 }, { mute: true }, { solo: false }) }) }),
    ) as fc.Arbitrary<Op>;
    fc.assert(fc.property(controlOp, controlOp, (a, b) => {
      const target = (op: Op) => JSON.stringify(controlTarget(op));
      expect(controlKey(a)).not.toBeNull();
      expect(controlKey(a) === controlKey(b)).toBe(target(a) === target(b));
    }), { numRuns: 1000 });
  });

  it('presence carries the same control: its wire shape validates and maps back to the same key', () => {
    fc.assert(fc.property(anyOrBatch, (op) => {
      const target = controlTarget(op);
      if (target === null) return;
      const parsed = PresenceDataSchema.parse({ touching: target });
      expect(targetKey(parsed.touching!)).toBe(controlKey(op));
    }), { numRuns: 500 });
  });

  it("the relay's send queue coalesces in-gesture values by the same key, and nothing else", () => {
    fc.assert(fc.property(anyOrBatch, (op) => {
      const out = opFrame('s1', stamped(op), 1, 'u1');
      const gesture = op.type === 'PLUGIN_PARAMETER' || (op.type === 'UPDATE_TRACK' && Object.keys(op.data.changes).every((f) => f === 'gain_db' || f === 'pan'));
      expect(out.key).toBe(gesture ? (controlKey(op) ?? undefined) : undefined);
    }), { numRuns: 500 });
  });
});

describe('the gesture stream, keyed by control', () => {
  const frames = () => {
    const pending: (() => void)[] = [];
    const sent: StampedOp[] = [];
    const stream = new GestureStream((op) => sent.push(op), (cb) => pending.push(cb), 60, () => 0);
    return { stream, sent, frame: () => pending.splice(0).forEach((cb) => cb()) };
  };
  const pan = (n: number, value: number): StampedOp => stamped({ id: `g${n}`, type: 'UPDATE_TRACK', data: { track_id: 't1', changes: { pan: value } } });

  it('sends the newest value of a control once per frame', () => {
    const { stream, sent, frame } = frames();
    [0.1, 0.2, 0.3].forEach((v, i) => stream.push(pan(i, v)));
    frame();
    expect(sent.map((op) => op.id)).toEqual(['g2']);
  });

  it('a value of two controls at once is sent, not dropped (it names no single control)', () => {
    const { stream, sent } = frames();
    const both = stamped({ id: 'both', type: 'UPDATE_TRACK', data: { track_id: 't1', changes: { gain_db: -3, pan: 0.5 } } });
    stream.push(both);
    expect(sent.map((op) => op.id)).toEqual(['both']);
  });
});
