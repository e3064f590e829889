import { remoteMeters, STALE_MS } from '../../app/meters.ts';

/**
 * Schedules a view's meter drawing: one animation frame when an audio host's
 * levels arrive (METERS, 30 a second), one when they go stale (the meters
 * fall to silence), and a frame loop only while `draw` says its levels keep
 * changing between arrivals (this device's own engine playing or ringing out).
 *
 * Why not a loop that always runs: a frame that redraws nothing new is main-thread
 * work a finger's move and its socket send can wait behind, and while a frame is
 * pending Chromium hands the page `touchmove`/`pointermove` aligned to it (the
 * sliders follow `pointerrawupdate`, which comes at once). With no host playing,
 * a surface requests no frames at all (issue 11).
 */
export class MeterFrames {
  #raf = 0;
  #stale: ReturnType<typeof setTimeout> | null = null;
  #off: (() => void) | null = null;

  /** `draw` paints the meters and answers whether they keep changing without new arrivals (then the next frame draws again). */
  constructor(private readonly draw: () => boolean) {}

  /** Draws once now (next frame), then whenever levels arrive. */
  start(): void {
    this.#off ??= remoteMeters.on('levels', () => {
      this.request();
      if (this.#stale !== null) clearTimeout(this.#stale);
      // The frame after the levels went stale draws the silence they fall to.
      this.#stale = setTimeout(() => {
        this.#stale = null;
        this.request();
      }, STALE_MS + 1);
    });
    this.request();
  }

  stop(): void {
    this.#off?.();
    this.#off = null;
    cancelAnimationFrame(this.#raf);
    this.#raf = 0;
    if (this.#stale !== null) clearTimeout(this.#stale);
    this.#stale = null;
  }

  /** Draws in the next animation frame (one frame however often it is asked before then). */
  request(): void {
    if (this.#raf !== 0 || this.#off === null) return;
    this.#raf = requestAnimationFrame(() => {
      this.#raf = 0;
      if (this.draw()) this.request();
    });
  }
}
