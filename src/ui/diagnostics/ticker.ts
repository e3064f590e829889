import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { Milliseconds } from '../../protocol/units.ts';

/** How often the Diagnostics panels refresh: ~4 times a second reads well and costs nothing worth measuring. */
export const REFRESH_MS: Milliseconds = 250;

/**
 * Calls `tick` every `periodMs` while its component is on the page and the
 * page is visible (and once at each start), so a panel polls only while
 * someone can see it.
 */
export class Ticker implements ReactiveController {
  #timer: ReturnType<typeof setInterval> | null = null;
  #connected = false;
  readonly #onVisibility = () => this.#update();

  constructor(host: ReactiveControllerHost, private readonly periodMs: Milliseconds, private readonly tick: () => void) {
    host.addController(this);
  }

  hostConnected(): void {
    this.#connected = true;
    document.addEventListener('visibilitychange', this.#onVisibility);
    this.#update();
  }

  hostDisconnected(): void {
    this.#connected = false;
    document.removeEventListener('visibilitychange', this.#onVisibility);
    this.#update();
  }

  #update(): void {
    const run = this.#connected && document.visibilityState === 'visible';
    if (run && this.#timer === null) {
      this.tick();
      this.#timer = setInterval(this.tick, this.periodMs);
    } else if (!run && this.#timer !== null) {
      clearInterval(this.#timer);
      this.#timer = null;
    }
  }
}
