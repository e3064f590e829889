import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { FAST_SWEEP_MS, Takeover, TAKEOVER_THRESHOLD } from '../../../src/app/midi/takeover.ts';

/** Feeds hardware positions, 100 ms apart unless given, against a value that follows what is accepted. */
function ride(t: Takeover, value: number, moves: (number | [number, number])[]) {
  let now = 0;
  const seen: (number | null)[] = [];
  for (const m of moves) {
    const [pos, dt] = Array.isArray(m) ? m : [m, 100];
    now += dt;
    const next = t.move(value, pos, now);
    if (next !== null) value = next;
    seen.push(next);
  }
  return { value, seen };
}

describe('soft takeover: pick-up (the default)', () => {
  it('ignores a knob far from the value until it crosses it, showing a ghost where the knob is', () => {
    const t = new Takeover('pickup');
    expect(t.move(0.5, 0.1, 0)).toBeNull();
    expect(t.ghost).toBe(0.1);
    expect(t.move(0.5, 0.3, 100)).toBeNull();
    expect(t.move(0.5, 0.45, 200)).toBeNull();
    expect(t.ghost).toBe(0.45);
    // Crossing: 0.45 -> 0.55 passes 0.5; from here the knob has it.
    expect(t.move(0.5, 0.55, 300)).toBe(0.55);
    expect(t.ghost).toBeNull();
    expect(t.move(0.55, 0.6, 400)).toBe(0.6);
  });

  it('takes a knob that arrives within 3/128 of the value, from either side', () => {
    const t = new Takeover('pickup');
    expect(t.move(0.5, 0.1, 0)).toBeNull();
    expect(t.move(0.5, 0.5 - TAKEOVER_THRESHOLD * 0.9, 100)).toBeCloseTo(0.5 - TAKEOVER_THRESHOLD * 0.9);
  });

  it('takes a fast sweep that jumps over the value within 50 ms of the last accepted value (Mixxx)', () => {
    const t = new Takeover('pickup');
    expect(t.move(0.5, 0.5, 0)).toBe(0.5);
    // A slowly refreshing controller swept hard: 0.5 -> 0.9 in one message, 20 ms later.
    expect(t.move(0.5, 0.9, 20)).toBe(0.9);
    // The same jump long after the last accepted value is a knob out of place: ignored.
    const late = new Takeover('pickup');
    expect(late.move(0.5, 0.5, 0)).toBe(0.5);
    expect(late.move(0.2, 0.6, 20 + FAST_SWEEP_MS * 4)).toBeNull();
  });

  it('lets go when the value moves elsewhere (the screen, another member) and picks up again on crossing', () => {
    const t = new Takeover('pickup');
    ride(t, 0.3, [0.3, 0.31]);
    // Someone sets the value to 0.8 on screen; the knob, still at 0.31, is ignored until it reaches 0.8.
    expect(t.move(0.8, 0.35, 1000)).toBeNull();
    expect(t.move(0.8, 0.7, 1100)).toBeNull();
    expect(t.move(0.8, 0.82, 1200)).toBe(0.82);
  });

  it('never moves the value far from the knob while the knob is ignored (no jumps)', () => {
    fc.assert(fc.property(fc.double({ min: 0, max: 1, noNaN: true }), fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 40 }), (start, moves) => {
      const t = new Takeover('pickup');
      let value = start;
      let prev: number | null = null;
      let now = 0;
      for (const m of moves) {
        now += 100; // slower than a sweep: every accepted value must be a crossing or a near one
        const next = t.move(value, m, now);
        if (next !== null) {
          const crossed = prev !== null && (value - prev) * (value - m) <= 0;
          if (!crossed && Math.abs(value - m) > TAKEOVER_THRESHOLD && (prev === null || Math.abs(value - prev) > TAKEOVER_THRESHOLD)) return false;
          value = next;
        }
        prev = m;
      }
      return true;
    }));
  });
});

describe('soft takeover: jump and scale', () => {
  it('jump takes every value at once', () => {
    const t = new Takeover('jump');
    expect(t.move(0.9, 0.1, 0)).toBe(0.1);
    expect(t.ghost).toBeNull();
  });

  it('scale moves the value the way the knob moves and they meet at the end stop', () => {
    const t = new Takeover('scale');
    const { value, seen } = ride(t, 0.8, [0.2, 0.4, 0.6, 0.8, 1]);
    expect(seen[0]).toBeNull(); // where the knob is is not known before its first message
    const moved = seen.slice(1) as number[];
    for (let i = 1; i < moved.length; i++) expect(moved[i]!).toBeGreaterThan(moved[i - 1]!);
    expect(moved[0]).toBeGreaterThan(0.8);
    expect(moved[0]).toBeLessThan(0.9); // gradually: a quarter of the knob's travel moved the value a fraction of that
    expect(value).toBe(1);
  });

  it('scale converges downward too, and hands over once knob and value meet', () => {
    const t = new Takeover('scale');
    const { value } = ride(t, 0.6, [0.9, 0.7, 0.5, 0.3]);
    expect(value).toBeLessThan(0.6);
    expect(t.move(value, value + 0.01, 10_000)).toBeCloseTo(value + 0.01);
    expect(t.ghost).toBeNull();
  });
});
