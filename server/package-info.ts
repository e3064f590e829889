import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The folder holding Outboard's package.json. Found by walking up from this
 * module because it runs from two depths: `server/` under vitest and
 * `build/cli/server/` as the compiled CLI. Files the package ships beside its
 * code (wasm/engine.wasm, dist/, package.json) are resolved from here, never
 * from a module's own URL.
 */
export const PACKAGE_ROOT = findPackageRoot(dirname(fileURLToPath(import.meta.url)));

function findPackageRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no package.json above ${from}`);
  }
}

/** `parts` joined onto {@link PACKAGE_ROOT}. */
export const fromPackageRoot = (...parts: string[]): string => join(PACKAGE_ROOT, ...parts);

interface PackageJson {
  readonly version?: string;
  readonly bin?: { readonly outboard?: string };
}

let manifest: PackageJson | null = null;

function packageJson(): PackageJson {
  manifest ??= JSON.parse(readFileSync(fromPackageRoot('package.json'), 'utf8')) as PackageJson;
  return manifest;
}

/** The package's version from its package.json ('0.0.0' when unreadable). */
export function packageVersion(): string {
  try {
    return packageJson().version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

/** Absolute path of the compiled CLI, the file package.json's `bin.outboard` names. */
export function cliBin(): string {
  const bin = packageJson().bin?.outboard;
  if (!bin) throw new Error('package.json has no bin.outboard');
  return fromPackageRoot(bin);
}

/**
 * The V8 flags a relay process runs with (`npm start`, the Dockerfile, the
 * relays the tests and benches start as processes). `--no-memory-reducer`:
 * some 8 s after a full GC, once allocation slows down, V8's memory reducer
 * runs up to three more full GCs 0.5 s apart to hand memory back to the
 * system, as suits a browser tab going idle. On a relay that moment is a
 * session running at fader rate: each of those GCs marks on a helper thread
 * (the second core of a 2-core machine) and then stops the event loop for
 * 5-16 ms, and the values in flight wait (docs/deploy.md, "Measured"). Without
 * it the heap stays at its high-water mark between bursts instead of
 * shrinking. Node refuses this flag in NODE_OPTIONS, so it goes on the command
 * line.
 */
export const RELAY_NODE_FLAGS: readonly string[] = ['--no-memory-reducer'];

/** The arguments of `node` that start a relay: {@link RELAY_NODE_FLAGS}, the compiled CLI, `serve`, then `args`. */
export function serveArgs(...args: string[]): string[] {
  return [...RELAY_NODE_FLAGS, cliBin(), 'serve', ...args];
}
