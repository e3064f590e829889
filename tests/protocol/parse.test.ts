import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ClientMessageSchema, parseClientMessage } from '../../src/protocol/index.ts';

const fader = {
  id: 'msg_1', type: 'PLUGIN_PARAMETER', session_id: 's1',
  data: { track_id: 't1', plugin_id: 'p1', parameter_id: 'cutoff', parameter_value: 440 },
};

function expectInvalid(input: unknown, field: string | undefined, ...words: string[]) {
  const result = parseClientMessage(input);
  expect(result.ok).toBe(false);
  if (result.ok) return;
  expect(result.error.code).toBe('INVALID_MESSAGE');
  expect(result.error.field).toBe(field);
  for (const w of words) expect(result.error.message).toContain(w);
}

describe('parseClientMessage', () => {
  it('accepts the seed envelope, a batch, presence and a token refresh', () => {
    expect(parseClientMessage(JSON.stringify({ ...fader, user_id: 'ignored', hlc: '001800000000000:00000:lap' })).ok).toBe(true);
    expect(parseClientMessage({ id: 'b1', type: 'BATCH', session_id: 's1', data: { ops: [{ id: 'o1', type: 'REMOVE_TRACK', data: { track_id: 't1' } }] } }).ok).toBe(true);
    expect(parseClientMessage({ id: 'pr1', type: 'PRESENCE', session_id: 's1', data: { touching: { track_id: 't1', plugin_id: 'p1', parameter_id: 'cutoff' } } }).ok).toBe(true);
    expect(parseClientMessage({ id: 'a1', type: 'AUTH', session_id: 's1', data: { token: 'x.y.z' } }).ok).toBe(true);
  });

  it('names what is wrong: bad JSON, non-objects, unknown types, wrong types, unknown keys, long ids', () => {
    expectInvalid('{"id":', undefined, 'JSON');
    expectInvalid([1, 2], undefined, 'object');
    expectInvalid({ ...fader, type: 'DROP_TABLE' }, 'type', 'DROP_TABLE');
    expectInvalid({ ...fader, data: { ...fader.data, parameter_value: '440' } }, 'data.parameter_value');
    expectInvalid(JSON.parse('{"id":"m","type":"REMOVE_TRACK","session_id":"s","data":{"track_id":"t","__proto__":{"x":1}}}'), 'data.__proto__', '__proto__');
    expectInvalid({ ...fader, constructor: 1 }, 'constructor', 'constructor');
    expectInvalid({ ...fader, id: 'x'.repeat(10_000) }, 'id');
    expectInvalid({ ...fader, data: { ...fader.data, parameter_value: Number.NaN } }, 'data.parameter_value');
    expectInvalid('{"id":"m","type":"PLUGIN_PARAMETER","session_id":"s","data":{"track_id":"t","plugin_id":"p","parameter_id":"q","parameter_value":1e999}}', 'data.parameter_value');
    expectInvalid({ id: 'b1', type: 'BATCH', session_id: 's1', data: { ops: [{ id: 'o1', type: 'BATCH', data: { ops: [] } }] } }, 'data.ops.0.type');
  });

  it('refuses an op that sets a blank name (a track or session nobody could read or hear named), naming the field', () => {
    expectInvalid({ id: 'n1', type: 'ADD_TRACK', session_id: 's1', data: { track: { id: 't2', name: '' } } }, 'data.track.name', 'blank');
    expectInvalid({ id: 'n2', type: 'UPDATE_TRACK', session_id: 's1', data: { track_id: 't1', changes: { name: '   ' } } }, 'data.changes.name', 'blank');
    expectInvalid({ id: 'n3', type: 'UPDATE_SESSION', session_id: 's1', data: { changes: { name: '\t' } } }, 'data.changes.name', 'blank');
    expect(parseClientMessage({ id: 'n4', type: 'UPDATE_TRACK', session_id: 's1', data: { track_id: 't1', changes: { name: ' Bass ' } } }).ok).toBe(true);
  });

  it('takes Play with the shared start instant, and names a bad one (fractional, negative, text)', () => {
    const play = (started_at: unknown) => ({ id: 'p1', type: 'UPDATE_SESSION', session_id: 's1', data: { changes: { playing: true, started_at } } });
    expect(parseClientMessage(play(1_764_636_000_000)).ok).toBe(true);
    for (const bad of [1.5, -1, '1764636000000']) expectInvalid(play(bad), 'data.changes.started_at');
  });

  it('never throws on arbitrary JSON values, and accepts exactly what the schema accepts', () => {
    fc.assert(
      fc.property(fc.anything({ withNullPrototype: true, withObjectString: true }), (value) => {
        const result = parseClientMessage(value);
        expect(result.ok).toBe(ClientMessageSchema.safeParse(value).success);
      }),
      { numRuns: 2000 },
    );
    fc.assert(fc.property(fc.json(), (text) => {
      expect(() => parseClientMessage(text)).not.toThrow();
    }), { numRuns: 2000 });
  });

  it('the fader fast path says yes exactly when the schema does, whatever a field holds', () => {
    const fields = ['id', 'type', 'session_id', 'hlc', 'user_id', 'ephemeral', 'data', 'data.track_id', 'data.plugin_id', 'data.parameter_id', 'data.parameter_value', 'data.extra', 'extra'];
    const edit = fc.record({
      path: fc.constantFrom(...fields),
      value: fc.oneof(fc.jsonValue(), fc.constantFrom('t1', 'cutoff', 'p_1', '001800000000000:00000:lap', 'x'.repeat(65), true, 1e308, -0, 'PLUGIN_PARAMETER')),
      remove: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.array(edit, { maxLength: 3 }), (edits) => {
        const message = structuredClone(fader) as Record<string, unknown>;
        for (const { path, value, remove } of edits) {
          const [head, tail] = path.split('.') as [string, string | undefined];
          const target = (tail ? message[head] : message) as Record<string, unknown> | null;
          if (typeof target !== 'object' || target === null || Array.isArray(target)) continue;
          const key = tail ?? head;
          if (remove) delete target[key];
          else target[key] = value;
        }
        const text = JSON.stringify(message);
        const result = parseClientMessage(text);
        expect(result.ok).toBe(ClientMessageSchema.safeParse(JSON.parse(text)).success);
        if (result.ok) expect(result.value).toEqual(JSON.parse(text));
      }),
      { numRuns: 3000 },
    );
  });

  it('refuses a valid message with any extra key, at any depth', () => {
    fc.assert(
      fc.property(fc.constantFrom('', 'data'), fc.string({ minLength: 1, maxLength: 12 }), fc.jsonValue(), (where, key, value) => {
        const message = structuredClone(fader) as Record<string, unknown>;
        const target = (where ? message[where] : message) as Record<string, unknown>;
        fc.pre(!(key in target) && !['hlc', 'user_id', 'ephemeral'].includes(key));
        Object.defineProperty(target, key, { value, enumerable: true, configurable: true, writable: true });
        expect(parseClientMessage(message).ok).toBe(false);
      }),
      { numRuns: 500 },
    );
  });
});
