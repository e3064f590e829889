import { describe, expect, it } from 'vitest';
import { compareHlc, formatHlc, HlcClock, parseHlc } from '../../src/model/index.ts';
import { HLC_PATTERN } from '../../src/protocol/index.ts';

describe('HlcClock', () => {
  it('issues increasing stamps even when the wall clock stalls or steps back', () => {
    let wall = 5_000;
    const clock = new HlcClock('lap', () => wall);
    const a = clock.now();
    const b = clock.now();
    wall = 4_000;
    const c = clock.now();
    expect(compareHlc(a, b)).toBeLessThan(0);
    expect(compareHlc(b, c)).toBeLessThan(0);
    expect(a).toMatch(HLC_PATTERN);
    expect(parseHlc(c)).toEqual({ wall: 5_000, counter: 2, node: 'lap' });
  });

  it('orders local events after remote stamps it has seen (a tablet with a slow clock)', () => {
    const tablet = new HlcClock('tab', () => 1_000);
    const remote = formatHlc({ wall: 9_000, counter: 7, node: 'lap' });
    tablet.observe(remote);
    expect(compareHlc(tablet.now(), remote)).toBeGreaterThan(0);
    tablet.observe(formatHlc({ wall: 10, counter: 0, node: 'old' }));
    expect(parseHlc(tablet.now()).wall).toBe(9_000);
  });

  it('borrows the next millisecond when the counter is exhausted', () => {
    const clock = new HlcClock('n', () => 1);
    clock.observe(formatHlc({ wall: 1, counter: 99_999, node: 'x' }));
    expect(parseHlc(clock.now())).toEqual({ wall: 2, counter: 0, node: 'n' });
    expect(compareHlc('a', 'a')).toBe(0);
  });
});
