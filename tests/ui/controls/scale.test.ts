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
});
