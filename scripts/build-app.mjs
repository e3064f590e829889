// Builds the PWA into dist/ with `vite build`, only when dist/ is missing or
// older than its sources (src/, worklets/, wasm/host/, wasm/engine.wasm, public/, index.html, vite.config.ts).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SOURCES = ['src', 'worklets', 'public', 'wasm/host', 'wasm/engine.wasm', 'index.html', 'vite.config.ts', 'package-lock.json'];
const SKIP = new Set(['node_modules', '.git', 'dist', 'assembly']);

/** Newest modification time (ms) under a path; 0 when it does not exist. */
function newest(path) {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let max = st.mtimeMs;
  for (const name of readdirSync(path)) {
    if (SKIP.has(name)) continue;
    max = Math.max(max, newest(join(path, name)));
  }
  return max;
}

/** True when dist/ is missing or any source is newer than the last build. */
export function appIsStale(root = ROOT) {
  const stamp = join(root, 'dist', 'index.html');
  if (!existsSync(stamp) || !existsSync(join(root, 'dist', 'sw.js'))) return true;
  const built = statSync(stamp).mtimeMs;
  return SOURCES.some((s) => newest(join(root, s)) > built);
}

/** Runs `vite build` when the app is stale; prints the bundle report after a build, and always in CI. */
export async function buildApp({ force = false } = {}) {
  if (!force && !appIsStale()) {
    if (process.env.CI) (await import('../bench/bundle-size.mjs')).printBundleReport(join(ROOT, 'dist'));
    return;
  }
  console.log('outboard: building the app (vite build) into dist/');
  const vite = join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
  // The runner config loader writes no temporary file into node_modules/.vite-temp: npm ci runs this after it has
  // written node_modules/.package-lock.json, and a new entry there would make npm distrust it (every `npx outboard`
  // would then re-read the whole tree).
  const run = spawnSync(process.execPath, [vite, 'build', '--configLoader', 'runner', '--logLevel', 'warn'], { cwd: ROOT, stdio: 'inherit' });
  if (run.status !== 0) throw new Error(`vite build failed (exit ${run.status})`);
  const { printBundleReport } = await import('../bench/bundle-size.mjs');
  printBundleReport(join(ROOT, 'dist'));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await buildApp({ force: process.argv.includes('--force') });
}
