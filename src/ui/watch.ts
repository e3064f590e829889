import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** Something that says when it changed (an `Emitter` with a `change` event). */
export interface ChangeSource {
  on(type: 'change', listener: () => void): () => void;
}

/**
 * Re-renders a component whenever a page-wide state changes while the
 * component is on the page: the surface (a viewer's read-only state, who
 * touches what), MIDI learn and mappings.
 */
export class Watch implements ReactiveController {
  #off: (() => void) | null = null;

  constructor(private readonly host: ReactiveControllerHost, private readonly source: ChangeSource) {
    host.addController(this);
  }

  hostConnected(): void {
    this.#off = this.source.on('change', () => this.host.requestUpdate());
  }

  hostDisconnected(): void {
    this.#off?.();
    this.#off = null;
  }
}
