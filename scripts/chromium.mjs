// Finds a Chromium to test with; `ensureChromium` installs one when none is found.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

/** Path of a Chromium binary, or undefined to let Playwright use its own download. */
export function chromiumPath() {
  if (process.env.OUTBOARD_CHROMIUM) return process.env.OUTBOARD_CHROMIUM;
  return CANDIDATES.find((p) => existsSync(p));
}

function isDebian() {
  try {
    return /ID(_LIKE)?=.*debian/.test(readFileSync('/etc/os-release', 'utf8'));
  } catch {
    return false;
  }
}

/** Makes sure a Chromium exists: Debian's package as root on Debian, Playwright's download otherwise. */
export function ensureChromium() {
  if (chromiumPath()) return;
  if (process.getuid?.() === 0 && isDebian()) {
    console.log('outboard: no Chromium found; installing Debian\'s chromium with apt-get');
    execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
    execFileSync('apt-get', ['install', '-y', '-qq', 'chromium'], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  } else {
    console.log('outboard: no Chromium found; installing one with npx playwright install chromium');
    execFileSync('npx', ['playwright', 'install', 'chromium'], { stdio: 'inherit' });
  }
}
