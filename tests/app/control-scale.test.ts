import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { fromPosition, snap, toPosition, type Range } from '../../src/app/control-scale.ts';

const cutoff: Range = { min: 20, max: 20000, scale: 'log' };
const fader: Range = { min: -60, max: 12, scale: 'fader' };
const pan: Range = { min: -1, max: 1, scale: 'linear' };

describe('control scales', () => {
  it('puts 632 Hz in the middle of a 20 Hz–20 kHz log control (the ear hears octaves)', () => {
    expect(fromPosition(cutoff, 0.5)).toBeCloseTo(632.456, 2);
    expect(toPosition(cutoff, 20)).toBe(0);
    expect(toPosition(cutoff, 20000)).toBe(1);
  });

  it('gives a gain fader more travel around 0 dB than near the bottom', () => {
    const perDb = (db: number) => toPosition(fader, db + 0.5) - toPosition(fader, db - 0.5);
    expect(perDb(0)).toBeGreaterThan(perDb(-40) * 3);
  });

  it('round-trips position -> value -> position for every scale', () => {
    fc.assert(fc.property(fc.constantFrom(cutoff, fader, pan), fc.double({ min: 0, max: 1, noNaN: true }), (r, p) => {
      expect(toPosition(r, fromPosition(r, p))).toBeCloseTo(p, 4);
    }));
  });

  it('keeps values inside the range and on the step', () => {
    fc.assert(fc.property(fc.double({ min: -1e6, max: 1e6, noNaN: true }), (v) => {
      const out = snap({ min: 1, max: 16, scale: 'linear', step: 1 }, v);
      return out >= 1 && out <= 16 && Number.isInteger(out);
    }));
  });
});
