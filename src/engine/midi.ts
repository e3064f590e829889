import type { MidiNote } from '../protocol/units.ts';
import type { MidiStatus } from './types.ts';

/** A note event from a MIDI keyboard. */
export interface NoteEvent {
  readonly on: boolean;
  readonly note: MidiNote;
  /** 0..1 */
  readonly velocity: number;
}

/** Raw MIDI bytes, for MIDI learn in the UI. */
export type MidiListener = (data: Uint8Array, input: string) => void;

/**
 * Parses one MIDI message into a note event, or null for anything else.
 * A note-on with velocity 0 is a note-off (running-status keyboards send those).
 */
export function parseNote(data: Uint8Array): NoteEvent | null {
  if (data.length < 3) return null;
  const status = data[0]! & 0xf0;
  const note = data[1]! & 0x7f;
  const velocity = (data[2]! & 0x7f) / 127;
  if (status === 0x90 && velocity > 0) return { on: true, note, velocity };
  if (status === 0x80 || status === 0x90) return { on: false, note, velocity: 0 };
  return null;
}

/**
 * Web MIDI input: every connected keyboard (and ones plugged in later) feeds
 * `onNote`; raw messages go to `onMessage` listeners (MIDI learn).
 */
export class MidiInput {
  private access: MIDIAccess | undefined;
  private readonly onNote: (e: NoteEvent) => void;
  private readonly listeners = new Set<MidiListener>();

  constructor(onNote: (e: NoteEvent) => void) {
    this.onNote = onNote;
  }

  /** Asks for MIDI access (a permission prompt in some browsers) and listens to every input. */
  async enable(): Promise<MidiStatus> {
    if (typeof navigator === 'undefined' || !('requestMIDIAccess' in navigator)) {
      return { available: false, inputs: [], reason: 'this browser has no Web MIDI' };
    }
    try {
      this.access ??= await navigator.requestMIDIAccess({ sysex: false });
    } catch (error) {
      return { available: false, inputs: [], reason: error instanceof Error ? error.message : String(error) };
    }
    const access = this.access;
    const attach = (): void => {
      for (const input of access.inputs.values()) input.onmidimessage = (e) => this.handle(e, input.name ?? input.id);
    };
    attach();
    access.onstatechange = attach;
    return { available: true, inputs: [...access.inputs.values()].map((i) => i.name ?? i.id) };
  }

  /** Adds a raw-message listener; returns its remover. */
  listen(listener: MidiListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Stops listening to every input. */
  disable(): void {
    if (!this.access) return;
    for (const input of this.access.inputs.values()) input.onmidimessage = null;
    this.access.onstatechange = null;
  }

  private handle(event: MIDIMessageEvent, name: string): void {
    const data = event.data;
    if (!data) return;
    const note = parseNote(data);
    if (note) this.onNote(note);
    for (const l of this.listeners) l(data, name);
  }
}
