import { parseNote } from '../../engine/midi.ts';

/** One channel message a mapping can listen to. */
export type MidiEvent =
  | { readonly kind: 'cc'; readonly channel: number; readonly cc: number; readonly value: number }
  | { readonly kind: 'note'; readonly channel: number; readonly note: number; readonly on: boolean };

/**
 * Decodes a Web MIDI message into a control change or a note (the engine's
 * note parser decides on and off, so a note-on with velocity 0 is an off
 * here too); anything else (clock, sysex, pitch bend) is null.
 */
export function decodeMidi(data: Uint8Array): MidiEvent | null {
  if (data.length < 3) return null;
  const status = data[0]! & 0xf0;
  const channel = data[0]! & 0x0f;
  if (status === 0xb0) return { kind: 'cc', channel, cc: data[1]! & 0x7f, value: data[2]! & 0x7f };
  const note = parseNote(data);
  return note ? { kind: 'note', channel, note: note.note, on: note.on } : null;
}
