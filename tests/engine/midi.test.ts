import { describe, expect, it } from 'vitest';
import { parseNote } from '../../src/engine/midi.ts';

describe('a MIDI keyboard plays the synth', () => {
  it('note on and note off, on any channel', () => {
    expect(parseNote(new Uint8Array([0x93, 60, 127]))).toEqual({ on: true, note: 60, velocity: 1 });
    expect(parseNote(new Uint8Array([0x80, 60, 64]))).toEqual({ on: false, note: 60, velocity: 0 });
  });

  it('a note on with velocity 0 is a note off (running status keyboards)', () => {
    expect(parseNote(new Uint8Array([0x90, 64, 0]))).toEqual({ on: false, note: 64, velocity: 0 });
  });

  it('controllers, clock and short messages are not notes', () => {
    expect(parseNote(new Uint8Array([0xb0, 7, 100]))).toBeNull();
    expect(parseNote(new Uint8Array([0xf8]))).toBeNull();
  });
});
