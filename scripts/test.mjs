// `npm test`: type check, unit and integration tests (vitest), browser tests (Playwright).
import { spawnSync } from 'node:child_process';
import { ensureChromium } from './chromium.mjs';

function run(label, cmd, args) {
  console.log(`\n== ${label}: ${cmd} ${args.join(' ')}`);
  const { status } = spawnSync(cmd, args, { stdio: 'inherit' });
  if (status !== 0) {
    console.error(`\n${label} failed (exit ${status})`);
    process.exit(status ?? 1);
  }
}

ensureChromium();
run('build', 'node', ['scripts/prepare.mjs']);
run('type check', 'npx', ['tsc', '-p', 'tsconfig.json', '--noEmit']);
// --configLoader runner: no temporary config file in node_modules (see scripts/build-app.mjs).
run('unit and integration tests', 'npx', ['vitest', 'run', '--configLoader', 'runner']);
run('browser tests', 'npx', ['playwright', 'test']);
