import { mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/**
 * `mkdir -p`, one level at a time. Node 20's `mkdirSync(path, { recursive: true })`
 * spins at 100% CPU forever where mkdir answers ENOENT under a folder that
 * exists (/proc, /sys), so a mistyped `--out-dir` or `OUTBOARD_DATA_DIR` would
 * hang instead of failing. Throws the file system's own error (code, syscall,
 * path) for the caller to word: EEXIST or ENOTDIR when a file is in the way.
 */
export function makeFolder(path: string): void {
  const missing: string[] = [];
  // The root always exists, so the walk up ends.
  for (let dir = resolve(path); !statSync(dir, { throwIfNoEntry: false }); dir = dirname(dir)) missing.push(dir);
  if (missing.length === 0 && !statSync(path).isDirectory()) mkdirSync(path);
  for (const dir of missing.reverse()) {
    try {
      mkdirSync(dir);
    } catch (error) {
      // Another process (a second relay on the same data folder) made it first.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || !statSync(dir).isDirectory()) throw error;
    }
  }
}
