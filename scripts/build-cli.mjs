// Compiles the CLI (bin/outboard.ts and everything it imports) to JavaScript
// in build/cli/ with tsconfig.cli.json, only when missing or stale: a compiled
// file older than its source, a compiled file whose source is gone, or a
// changed compiler config. Runs on npm ci (prepare), npm start, npm test,
// npm run bench, and from the test runners' global setup.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const OUT = join(ROOT, 'build', 'cli');
/** The compiled entry, the file package.json's `bin` names. */
const ENTRY = join(OUT, 'bin', 'outboard.js');
/** Inputs beside the sources: a change here changes every output. */
const CONFIG = ['tsconfig.json', 'tsconfig.cli.json', 'scripts/build-cli.mjs'];

const mtime = (path) => statSync(path).mtimeMs;

/** Every file under `dir`, recursively. */
function filesUnder(dir) {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));
}

/** The source a compiled file came from: x.js from x.ts, x.mjs from x.mjs (allowJs copies). */
function sourceOf(compiled) {
  const rel = relative(OUT, compiled);
  return join(ROOT, rel.endsWith('.js') ? rel.replace(/\.js$/, '.ts') : rel);
}

/** True when build/cli is missing, older than any of its sources or the config, or holds a file whose source is gone. */
export function cliIsStale() {
  if (!existsSync(ENTRY)) return true;
  const built = mtime(ENTRY);
  if (CONFIG.some((c) => mtime(join(ROOT, c)) > built)) return true;
  return filesUnder(OUT).some((compiled) => {
    const source = sourceOf(compiled);
    return !existsSync(source) || mtime(source) > mtime(compiled);
  });
}

/** Compiles the CLI into build/cli when stale; returns the compiled entry's path. */
export function buildCli({ force = false } = {}) {
  if (!force && !cliIsStale()) return ENTRY;
  // Compile to a private folder, then swap it in: a concurrent run never sees half a build.
  const tmp = `${OUT}.${process.pid}.tmp`;
  const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  const run = spawnSync(process.execPath, [tsc, '-p', join(ROOT, 'tsconfig.cli.json'), '--outDir', tmp], { cwd: ROOT, encoding: 'utf8' });
  if (run.status !== 0) {
    rmSync(tmp, { recursive: true, force: true });
    throw new Error(`compiling the CLI failed (exit ${run.status}):\n${run.stdout}${run.stderr}`);
  }
  // npx runs the bin through its link, so the entry must be executable.
  chmodSync(join(tmp, relative(OUT, ENTRY)), 0o755);
  const old = `${OUT}.${process.pid}.old`;
  if (existsSync(OUT)) renameSync(OUT, old);
  renameSync(tmp, OUT);
  rmSync(old, { recursive: true, force: true });
  return ENTRY;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  buildCli({ force: process.argv.includes('--force') });
}
