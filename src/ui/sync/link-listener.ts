import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { SyncLink } from '../../app/sync-link.ts';

/**
 * Keeps a component subscribed to its current {@link SyncLink}'s `change`
 * events: rebinds when the `link` property changes, unbinds when the
 * component leaves the page.
 */
export class LinkListener implements ReactiveController {
  #bound: SyncLink | null = null;
  #off: (() => void) | null = null;

  constructor(
    private readonly host: ReactiveControllerHost & { link: SyncLink | null },
    private readonly onChange: () => void,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    this.#bind(this.host.link);
  }

  hostUpdate(): void {
    this.#bind(this.host.link);
  }

  hostDisconnected(): void {
    this.#bind(null);
  }

  #bind(link: SyncLink | null): void {
    if (link === this.#bound) return;
    this.#off?.();
    this.#off = link?.on('change', this.onChange) ?? null;
    this.#bound = link;
  }
}
