import { describe, expect, it } from 'vitest';
import { decodeMidi } from '../../../src/app/midi/message.ts';
import { relativeSteps, SourceReader, sourceMatches } from '../../../src/app/midi/source-reader.ts';

const cc = (channel: number, n: number, v: number) => decodeMidi(new Uint8Array([0xb0 | channel, n, v]))!;

describe('reading hardware messages', () => {
  it('decodes control changes and notes with their channel; a note-on at velocity 0 is an off', () => {
    expect(decodeMidi(new Uint8Array([0xb3, 74, 100]))).toEqual({ kind: 'cc', channel: 3, cc: 74, value: 100 });
    expect(decodeMidi(new Uint8Array([0x99, 36, 90]))).toEqual({ kind: 'note', channel: 9, note: 36, on: true });
    expect(decodeMidi(new Uint8Array([0x99, 36, 0]))).toEqual({ kind: 'note', channel: 9, note: 36, on: false });
    expect(decodeMidi(new Uint8Array([0xf8]))).toBeNull();
    expect(decodeMidi(new Uint8Array([0xe0, 0, 64]))).toBeNull();
  });

  it('reads an absolute CC as a position along the travel', () => {
    const r = new SourceReader({ kind: 'cc', channel: 0, cc: 7, mode: 'absolute' }, false);
    expect(r.read(cc(0, 7, 0))).toEqual({ kind: 'absolute', position: 0 });
    expect(r.read(cc(0, 7, 127))).toEqual({ kind: 'absolute', position: 1 });
  });

  it('reads a 14-bit pair (MSB CC 1, LSB CC 33) at 16384 steps, landing with the LSB', () => {
    const source = { kind: 'cc', channel: 0, cc: 1, mode: 'absolute14' } as const;
    const r = new SourceReader(source, false);
    expect(sourceMatches(source, cc(0, 33, 0))).toBe(true);
    expect(sourceMatches(source, cc(1, 33, 0))).toBe(false);
    // Before any LSB, an MSB alone reads at 7 bits.
    expect(r.read(cc(0, 1, 64))).toEqual({ kind: 'absolute', position: (64 << 7) / 16383 });
    expect(r.read(cc(0, 33, 1))).toEqual({ kind: 'absolute', position: ((64 << 7) | 1) / 16383 });
    // Once the controller sends LSBs, an MSB waits for its LSB (no dip to the low bits = 0).
    expect(r.read(cc(0, 1, 127))).toBeNull();
    expect(r.read(cc(0, 33, 127))).toEqual({ kind: 'absolute', position: 1 });
  });

  it('reads endless encoders in the three relative conventions', () => {
    expect([1, 5, 127, 123].map((v) => relativeSteps('relative-twos', v))).toEqual([1, 5, -1, -5]);
    expect([65, 70, 63, 58].map((v) => relativeSteps('relative-offset', v))).toEqual([1, 6, -1, -6]);
    expect([1, 5, 65, 69].map((v) => relativeSteps('relative-sign', v))).toEqual([1, 5, -1, -5]);
    const r = new SourceReader({ kind: 'cc', channel: 0, cc: 20, mode: 'relative-offset' }, false);
    expect(r.read(cc(0, 20, 62))).toEqual({ kind: 'relative', steps: -2 });
    expect(r.read(cc(0, 20, 64))).toBeNull();
  });

  it('flips a toggle on the press of a CC button or a note-on, never on the release', () => {
    const button = new SourceReader({ kind: 'cc', channel: 0, cc: 64, mode: 'absolute' }, true);
    expect(button.read(cc(0, 64, 127))).toEqual({ kind: 'press' });
    expect(button.read(cc(0, 64, 127))).toBeNull();
    expect(button.read(cc(0, 64, 0))).toBeNull();
    expect(button.read(cc(0, 64, 100))).toEqual({ kind: 'press' });
    const pad = new SourceReader({ kind: 'note', channel: 9, note: 36 }, true);
    expect(pad.read(decodeMidi(new Uint8Array([0x99, 36, 100]))!)).toEqual({ kind: 'press' });
    expect(pad.read(decodeMidi(new Uint8Array([0x89, 36, 0]))!)).toBeNull();
  });
});
