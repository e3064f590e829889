import { midi } from '../../app/midi/midi-control.ts';
import type { MidiTarget } from '../../protocol/midi-mapping.ts';

/**
 * A toggle's click: in MIDI learn mode it chooses the toggle for mapping,
 * otherwise it does what the button does.
 */
export function learnOr(target: MidiTarget, action: () => void): void {
  if (midi.learning) midi.select(target);
  else action();
}
