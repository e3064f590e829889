import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { midi } from '../../app/midi/midi-control.ts';

/** Re-renders a component when MIDI learn, mappings or ghosts change. */
export class MidiWatch implements ReactiveController {
  #off: (() => void) | null = null;

  constructor(private readonly host: ReactiveControllerHost) {
    host.addController(this);
  }

  hostConnected(): void {
    this.#off = midi.on('change', () => this.host.requestUpdate());
  }

  hostDisconnected(): void {
    this.#off?.();
    this.#off = null;
  }
}
