// Builds wasm/engine.wasm from wasm/assembly when it is missing or older than
// any of its sources (or this script). Runs on npm ci, npm start, npm test,
// and from the wasm tests' beforeAll.
import { mkdir, readdir, rename, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const sourceDir = join(root, 'wasm', 'assembly');
const outFile = join(root, 'wasm', 'engine.wasm');

/** Flags shared by every build: SIMD on, -O3, no GC runtime (the engine allocates only at setup). */
export const ASC_FLAGS = ['--enable', 'simd', '-O3', '--runtime', 'minimal', '--noAssert'];

async function newestSource(dir) {
  let newest = (await stat(fileURLToPath(import.meta.url))).mtimeMs;
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.ts')) continue;
    const s = await stat(join(entry.parentPath ?? entry.path, entry.name));
    newest = Math.max(newest, s.mtimeMs);
  }
  return newest;
}

async function isFresh() {
  try {
    const built = await stat(outFile);
    return built.mtimeMs >= (await newestSource(sourceDir));
  } catch {
    return false;
  }
}

/** Builds wasm/engine.wasm from wasm/assembly when it is missing or older than its sources. */
export async function buildWasm({ force = false } = {}) {
  if (!force && (await isFresh())) return outFile;
  const asc = (await import('assemblyscript/asc')).default;
  await mkdir(dirname(outFile), { recursive: true });
  // Build to a private temp name, then rename: concurrent builds (several test
  // workers) never see a half-written engine.wasm.
  const tmp = `${outFile}.${process.pid}.${Date.now()}.tmp`;
  const stderr = [];
  const { error } = await asc.main([join(sourceDir, 'index.ts'), '-o', tmp, ...ASC_FLAGS], {
    stdout: { write: () => true },
    stderr: { write: (chunk) => { stderr.push(String(chunk)); return true; } },
  });
  if (error) throw new Error(`engine.wasm build failed: ${error.message}\n${stderr.join('')}`);
  await rename(tmp, outFile);
  return outFile;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await buildWasm({ force: process.argv.includes('--force') });
}
