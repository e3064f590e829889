/** The Screen Wake Lock API, where the browser has it (feature-detected; not in every lib.dom). */
interface Sentinel {
  readonly released: boolean;
  release(): Promise<void>;
}
interface WakeLockApi {
  request(type: 'screen'): Promise<Sentinel>;
}

/**
 * Keeps the screen on while a control surface is connected. The browser
 * drops the lock whenever the page is hidden, so it is asked again when the
 * page comes back. Where the API is missing or refused, nothing happens.
 */
export class WakeLock {
  #sentinel: Sentinel | null = null;
  #wanted = false;
  #listening = false;

  async acquire(): Promise<void> {
    this.#wanted = true;
    if (!this.#listening && typeof document !== 'undefined') {
      this.#listening = true;
      document.addEventListener('visibilitychange', () => {
        if (document.visibilityState === 'visible' && this.#wanted) void this.acquire();
      });
    }
    const api = (navigator as Navigator & { wakeLock?: WakeLockApi }).wakeLock;
    if (!api || (this.#sentinel && !this.#sentinel.released) || document.visibilityState !== 'visible') return;
    try {
      this.#sentinel = await api.request('screen');
    } catch {
      // Refused (battery saver, no user activation yet): the surface still works.
    }
  }

  release(): void {
    this.#wanted = false;
    void this.#sentinel?.release().catch(() => undefined);
    this.#sentinel = null;
  }
}
