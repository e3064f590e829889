import type { CcMode, MidiSource } from '../../protocol/midi-mapping.ts';
import type { MidiEvent } from './message.ts';

/** What a hardware message says about its control. */
export type Reading =
  /** Where an absolute knob or fader is, 0..1 of its travel. */
  | { readonly kind: 'absolute'; readonly position: number }
  /** Endless encoder ticks, signed. */
  | { readonly kind: 'relative'; readonly steps: number }
  /** A button or pad went down (a toggle flips). */
  | { readonly kind: 'press' };

/** The LSB of a 14-bit pair is sent on the MSB's CC + 32 (MIDI 1.0, CC 0-31 / 32-63). */
const LSB_OFFSET = 32;

/** Signed ticks of one relative-CC value, in each encoder convention (see `CC_MODES`). */
export function relativeSteps(mode: CcMode, value: number): number {
  switch (mode) {
    case 'relative-twos': return value < 64 ? value : value - 128;
    case 'relative-offset': return value - 64;
    case 'relative-sign': return value & 64 ? -(value & 63) : value & 63;
    default: return 0;
  }
}

/** True when `event` belongs to `source` (for a 14-bit pair, either half). */
export function sourceMatches(source: MidiSource, event: MidiEvent): boolean {
  if (source.channel !== event.channel) return false;
  if (source.kind === 'note') return event.kind === 'note' && event.note === source.note;
  if (event.kind !== 'cc') return false;
  return event.cc === source.cc || (source.mode === 'absolute14' && event.cc === source.cc + LSB_OFFSET);
}

/**
 * Reads one mapped hardware control's messages. It keeps the little state a
 * control needs: the MSB of a 14-bit pair until its LSB arrives, and whether
 * a button is down (a CC button sends 127 on press and 0 on release, and only
 * the press flips a toggle).
 */
export class SourceReader {
  #msb = 0;
  #sawLsb = false;
  #down = false;

  constructor(readonly source: MidiSource, readonly toggle: boolean) {}

  /** What `event` says, or null when it says nothing by itself (an MSB waiting for its LSB, a release). */
  read(event: MidiEvent): Reading | null {
    const s = this.source;
    if (event.kind === 'note') return event.on && this.toggle ? { kind: 'press' } : null;
    if (this.toggle) {
      const down = event.value >= 64;
      const pressed = down && !this.#down;
      this.#down = down;
      return pressed ? { kind: 'press' } : null;
    }
    if (s.kind !== 'cc') return null;
    if (s.mode === 'absolute') return { kind: 'absolute', position: event.value / 127 };
    if (s.mode !== 'absolute14') {
      const steps = relativeSteps(s.mode, event.value);
      return steps === 0 ? null : { kind: 'relative', steps };
    }
    // 14-bit: the value lands with the LSB (the second of the pair), so the
    // MSB alone never drops the low bits for a moment. A controller that has
    // sent no LSB yet is read at 7 bits from its MSBs.
    if (event.cc === s.cc) {
      this.#msb = event.value;
      return this.#sawLsb ? null : { kind: 'absolute', position: (event.value << 7) / 16383 };
    }
    this.#sawLsb = true;
    return { kind: 'absolute', position: ((this.#msb << 7) | event.value) / 16383 };
  }
}
