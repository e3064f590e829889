import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isFaderChange, TrackChangesSchema } from '../../src/protocol/ops.ts';

/** Values near and beyond the edges of both ranges, odd numbers and non-numbers. */
const value = fc.oneof(
  fc.double({ min: -80, max: 20 }),
  fc.constantFrom(-60, 12, -1, 1, -60.0001, 12.0001, -1.0001, 1.0001, 0, -0, NaN, Infinity, -Infinity),
  fc.constantFrom('0', null, undefined, true, [], {}),
);
const key = fc.constantFrom('gain_db', 'pan', 'mute', 'name', 'solo', 'gain', '__proto__', 'constructor');

describe('isFaderChange: the fader fast path of UPDATE_TRACK', () => {
  it('only ever accepts what TrackChangesSchema accepts', () => {
    fc.assert(fc.property(fc.dictionary(key, value, { maxKeys: 3 }), (changes) => {
      if (isFaderChange(changes)) expect(TrackChangesSchema.safeParse(changes).success).toBe(true);
    }), { numRuns: 5000 });
  });

  it('accepts a gain or pan move in range, and refuses the rest to the schema', () => {
    expect(isFaderChange({ gain_db: -6 })).toBe(true);
    expect(isFaderChange({ gain_db: 12, pan: -1 })).toBe(true);
    expect(isFaderChange({})).toBe(false);
    expect(isFaderChange({ gain_db: 40 })).toBe(false);
    expect(isFaderChange({ pan: NaN })).toBe(false);
    expect(isFaderChange({ gain_db: -6, mute: true })).toBe(false);
    expect(isFaderChange({ gain_db: '-6' })).toBe(false);
  });
});
