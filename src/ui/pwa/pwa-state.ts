import { Emitter } from '../../app/emitter.ts';
import { registerSW } from 'virtual:pwa-register';

const UPDATE_CHECK_MS = 60 * 60 * 1000;

/** The browser's install prompt event (not in TypeScript's DOM lib). */
interface BeforeInstallPromptEvent extends Event {
  prompt(): Promise<void>;
  readonly userChoice: Promise<{ outcome: 'accepted' | 'dismissed' }>;
}

/**
 * The PWA's lifecycle as the UI sees it: offline readiness, a waiting update,
 * installability. Applying an update is always the user's choice
 * (`applyUpdate`), never automatic.
 */
export class PwaState extends Emitter<{ change: void }> {
  offlineReady = false;
  updateWaiting = false;
  installable = false;
  installed = typeof matchMedia === 'function' && matchMedia('(display-mode: standalone)').matches;
  /** iOS Safari has no install prompt: the app explains Add to Home Screen instead. */
  readonly ios = /iphone|ipad|ipod/i.test(navigator.userAgent) || (navigator.platform === 'MacIntel' && navigator.maxTouchPoints > 1);
  registration: ServiceWorkerRegistration | undefined;
  #update: ((reload?: boolean) => Promise<void>) | null = null;
  #prompt: BeforeInstallPromptEvent | null = null;

  /** Registers the service worker (production builds only) and listens for install prompts. */
  start(): void {
    addEventListener('beforeinstallprompt', (e) => {
      e.preventDefault();
      this.#prompt = e as BeforeInstallPromptEvent;
      this.installable = true;
      this.#changed();
    });
    addEventListener('appinstalled', () => {
      this.installable = false;
      this.installed = true;
      this.#changed();
    });
    if (!('serviceWorker' in navigator) || import.meta.env.DEV) return;
    this.#update = registerSW({
      immediate: true,
      onOfflineReady: () => {
        this.offlineReady = true;
        this.#changed();
      },
      onNeedRefresh: () => {
        this.updateWaiting = true;
        this.#changed();
      },
      onRegisteredSW: (_url, registration) => {
        this.registration = registration;
        // A session can stay open all day: look for a new release every hour (never applied without asking).
        if (registration) setInterval(() => void registration.update().catch(() => undefined), UPDATE_CHECK_MS);
        this.#changed();
      },
    });
  }

  /**
   * Activates the waiting service worker and reloads once it controls the
   * page; the caller makes sure nothing is playing. (workbox-window only
   * reloads for updates it found itself; one found by a periodic check is
   * "external", so the reload is done here, once.)
   */
  async applyUpdate(): Promise<void> {
    let reloaded = false;
    navigator.serviceWorker.addEventListener('controllerchange', () => {
      if (reloaded) return;
      reloaded = true;
      location.reload();
    });
    await this.#update?.(true);
  }

  /** Shows the browser's install prompt. */
  async install(): Promise<void> {
    const prompt = this.#prompt;
    if (!prompt) return;
    this.#prompt = null;
    await prompt.prompt();
    const { outcome } = await prompt.userChoice;
    this.installable = false;
    if (outcome === 'accepted') this.installed = true;
    this.#changed();
  }

  #changed(): void {
    this.emit('change');
  }
}
