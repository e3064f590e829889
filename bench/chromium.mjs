// Where Chromium is, for the Playwright tests and `outboard bench app` alike.
// Plain JS so scripts/ (run by node without a compile step) can import it too.
import { existsSync } from 'node:fs';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

/**
 * Path of a Chromium binary (`OUTBOARD_CHROMIUM`, else the first system one
 * found), or undefined to let Playwright use its own download.
 * @returns {string | undefined}
 */
export function chromiumPath() {
  if (process.env.OUTBOARD_CHROMIUM) return process.env.OUTBOARD_CHROMIUM;
  return CANDIDATES.find((p) => existsSync(p));
}

/** Chromium switches the audio benches launch with: headless, no GPU, sound without a click. */
export const BENCH_LAUNCH_ARGS = ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--autoplay-policy=no-user-gesture-required'];

