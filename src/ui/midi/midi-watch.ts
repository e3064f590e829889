import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { midi } from '../../app/midi/midi-control.ts';

/** Re-renders a component when MIDI learn, mappings or ghosts change. */
export class MidiWatch implements ReactiveController {
  #onChange = () => this.host.requestUpdate();

  constructor(private readonly host: ReactiveControllerHost) {
    host.addController(this);
  }

  hostConnected(): void {
    midi.addEventListener('change', this.#onChange);
  }

  hostDisconnected(): void {
    midi.removeEventListener('change', this.#onChange);
  }
}
