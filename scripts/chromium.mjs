// Finds a Chromium to test with; `ensureChromium` installs one when none is found.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { chromiumPath } from '../bench/chromium.mjs';

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
