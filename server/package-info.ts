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
