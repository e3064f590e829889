import type { Hertz } from '../protocol/units.ts';

/** The rate the engine prefers; the device may impose another. */
export const PREFERRED_RATE: Hertz = 48_000;

/**
 * Creates the realtime AudioContext: 48 kHz where the device allows it,
 * `latencyHint: "interactive"`. Some browsers refuse a rate the hardware
 * lacks; then the device's own rate is used (the engine runs at any rate).
 */
export function createAudioContext(): AudioContext {
  try {
    return new AudioContext({ sampleRate: PREFERRED_RATE, latencyHint: 'interactive' });
  } catch {
    return new AudioContext({ latencyHint: 'interactive' });
  }
}

/** States the spec lacks but iOS Safari reports when a call or Siri takes the audio session. */
type AnyState = AudioContextState | 'interrupted';

const GESTURES = ['pointerdown', 'keydown', 'touchend'] as const;

/**
 * Keeps an AudioContext running while the user wants sound.
 *
 * - Autoplay policy: a context created before any gesture starts
 *   `suspended`; `resume()` must run inside a user gesture, so while one is
 *   wanted, the next pointer or key gesture anywhere on the page resumes it.
 * - iOS: a phone call, Siri or another app moves the context to
 *   `interrupted`; once the interruption ends the context does not restart
 *   by itself. On `statechange` back to `suspended`, on the page becoming
 *   visible again, and on the next gesture, it is resumed.
 */
export class ContextKeeper {
  private readonly ctx: AudioContext;
  private wanted = false;
  private readonly onGesture = (): void => void this.kick();
  private readonly onVisible = (): void => {
    if (document.visibilityState === 'visible') void this.kick();
  };

  constructor(ctx: AudioContext) {
    this.ctx = ctx;
    ctx.addEventListener('statechange', () => {
      const state = ctx.state as AnyState;
      if (this.wanted && (state === 'suspended' || state === 'interrupted')) this.armGestures();
      if (this.wanted && state === 'suspended') void this.kick();
    });
    if (typeof document !== 'undefined') document.addEventListener('visibilitychange', this.onVisible);
  }

  /** The context's state, including iOS's `interrupted`. */
  get state(): string {
    return this.ctx.state as AnyState;
  }

  /** Asks for sound: resumes now (works inside a gesture) and on later gestures if that fails. */
  async want(): Promise<void> {
    this.wanted = true;
    await this.kick();
    if (this.state !== 'running') this.armGestures();
  }

  /** Stops asking; the context is left as it is. */
  release(): void {
    this.wanted = false;
    this.disarmGestures();
  }

  /** Stops listening (the context is closing). */
  dispose(): void {
    this.release();
    if (typeof document !== 'undefined') document.removeEventListener('visibilitychange', this.onVisible);
  }

  private async kick(): Promise<void> {
    if (!this.wanted || this.ctx.state === 'running' || this.ctx.state === 'closed') return;
    try {
      await this.ctx.resume();
    } catch {
      // Refused (no gesture yet, or still interrupted): the armed gestures retry.
    }
    if (this.state === 'running') this.disarmGestures();
  }

  private armGestures(): void {
    if (typeof window === 'undefined') return;
    for (const g of GESTURES) window.addEventListener(g, this.onGesture, { capture: true, passive: true });
  }

  private disarmGestures(): void {
    if (typeof window === 'undefined') return;
    for (const g of GESTURES) window.removeEventListener(g, this.onGesture, { capture: true });
  }
}
