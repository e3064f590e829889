import { describe, expect, it } from 'vitest';
import { parseTyped } from '../../../src/ui/controls/scale.ts';

describe('typed entry', () => {
  it('reads what musicians type', () => {
    expect(parseTyped('440', 'Hz')).toBe(440);
    expect(parseTyped('2k', 'Hz')).toBe(2000);
    expect(parseTyped('2.5 kHz', 'Hz')).toBe(2500);
    expect(parseTyped('-6 dB', 'dB')).toBe(-6);
    expect(parseTyped('1.2 s', 'ms')).toBe(1200);
    expect(parseTyped('4:1', 'ratio')).toBe(4);
    expect(parseTyped('Highpass', '', ['lowpass', 'highpass'])).toBe(1);
    expect(parseTyped('loud', 'dB')).toBeUndefined();
    expect(parseTyped('', 'dB')).toBeUndefined();
  });

  it("refuses a unit that is not the control's, rather than reading the number in the control's own", () => {
    expect(parseTyped('500 Hz', 'ms')).toBeUndefined();
    expect(parseTyped('12 ms', 'dB')).toBeUndefined();
    expect(parseTyped('-6 dB', 'ratio')).toBeUndefined();
    expect(parseTyped('2 kHz', '')).toBeUndefined();
    expect(parseTyped('50%', '')).toBeUndefined();
    expect(parseTyped('1.5 s', 'Hz')).toBeUndefined();
    expect(parseTyped('2k', 'ms')).toBe(2000);
    expect(parseTyped('350 ms', 'ms')).toBe(350);
    expect(parseTyped('4 Hz', 'Hz')).toBe(4);
  });
});
