// The audio devices the latency benches (`bench midi`, `bench surface`) run on.
// Headless Chromium has no sound card: its fake output device reports a
// 512-frame buffer, so `latencyHint: "interactive"` (what the app asks for,
// src/engine/context.ts) gets a callback every 10 ms that renders 4 quanta in
// a burst, and a ring write waits up to 10 ms for the next one. Chromium's
// `--audio-buffer-size` switch does not help there: the page then renders
// 128 frames at a time, but still in bursts every 10 ms. What the fake device
// does honour is an exact latency at its minimum, 128 frames: one callback
// every 2.67 ms, as a real interface at "interactive" gives (128-256 frames).
// So the low-latency device is that request, put in place of "interactive"
// by a page script; the app's code is the same on both.
import type { Page } from 'playwright-core';

/** One audio device a latency bench runs on. */
export interface AudioDevice {
  /** How the tables name it. */
  readonly name: string;
  /** Frames per callback the page's "interactive" AudioContext gets, or null: Chromium's own choice. */
  readonly frames: number | null;
}

/** Chromium's default fake device, then a device that calls back every render quantum. */
export const AUDIO_DEVICES: readonly AudioDevice[] = [
  { name: "headless Chromium's fake device at \"interactive\" (512-frame callbacks, 10 ms)", frames: null },
  { name: 'a low-latency device (128-frame callbacks, 2.67 ms, as a real interface at "interactive")', frames: 128 },
];

/**
 * Makes every "interactive" AudioContext of the page ask for `frames` frames
 * per callback (at the context's rate, 48 kHz when unset). Plain script text,
 * so no transpiler adds helpers the page lacks.
 */
export async function useAudioDevice(page: Page, device: AudioDevice): Promise<void> {
  if (device.frames === null) return;
  await page.addInitScript(`(() => {
    const Native = window.AudioContext;
    window.AudioContext = class extends Native {
      constructor(options = {}) {
        const hint = options.latencyHint ?? 'interactive';
        super(hint === 'interactive' ? { ...options, latencyHint: ${device.frames} / (options.sampleRate ?? 48000) } : options);
      }
    };
  })();`);
}
