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
/** Inputs beside the sources: a change here changes every output. */
const CONFIG = ['tsconfig.json', 'tsconfig.cli.json', 'scripts/build-cli.mjs'];

/** Where the compiled CLI goes under `root`, and its entry (the file package.json's `bin` names). */
function paths(root) {
  const out = join(root, 'build', 'cli');
  return { out, entry: join(out, 'bin', 'outboard.js') };
}

const mtime = (path) => statSync(path).mtimeMs;

/** Every file under `dir`, recursively. */
function filesUnder(dir) {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));
}

/**
 * The source a compiled file came from: x.js and its declarations x.d.ts from
 * x.ts; x.mjs (an allowJs copy) and its declarations x.d.mts from x.mjs.
 */
function sourceOf(root, out, compiled) {
  const rel = relative(out, compiled)
    .replace(/\.d\.mts$/, '.mjs')
    .replace(/(\.d\.ts|\.js)$/, '.ts');
  return join(root, rel);
}

/** True when build/cli is missing, older than any of its sources or the config, or holds a file whose source is gone. */
export function cliIsStale(root = ROOT) {
  const { out, entry } = paths(root);
  if (!existsSync(entry)) return true;
  const built = mtime(entry);
  if (CONFIG.some((c) => mtime(join(root, c)) > built)) return true;
  return filesUnder(out).some((compiled) => {
    const source = sourceOf(root, out, compiled);
    return !existsSync(source) || mtime(source) > mtime(compiled);
  });
}

/** Compiles the CLI under `root` into build/cli when stale; returns the compiled entry's path. */
export function buildCli({ force = false, root = ROOT } = {}) {
  const { out, entry } = paths(root);
  if (!force && !cliIsStale(root)) return entry;
  // Compile to a private folder, then swap it in: a concurrent run never sees half a build
  // (for an instant between the two renames it sees none).
  const tmp = `${out}.${process.pid}.tmp`;
  const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  const run = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.cli.json'), '--outDir', tmp], { cwd: root, encoding: 'utf8' });
  if (run.status !== 0) {
    rmSync(tmp, { recursive: true, force: true });
    throw new Error(`compiling the CLI failed (exit ${run.status}):\n${run.stdout}${run.stderr}`);
  }
  // npx runs the bin through its link, so the entry must be executable.
  chmodSync(join(tmp, relative(out, entry)), 0o755);
  const old = `${out}.${process.pid}.old`;
  if (existsSync(out)) renameSync(out, old);
  renameSync(tmp, out);
  rmSync(old, { recursive: true, force: true });
  return entry;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  buildCli({ force: process.argv.includes('--force') });
}
