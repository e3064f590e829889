import { closeSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/**
 * The temp file {@link writeAtomically} writes `path` through. Worker threads
 * share the process id, so a batch that stops its workers mid-write knows
 * which partial file to remove.
 */
export const tempPathFor = (path: string): string => join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);

/**
 * Writes a file atomically: everything goes to a temp file beside the target,
 * renamed over it only when `write` finished. On any error the temp file is
 * removed, so a failed command leaves no output behind.
 */
export function writeAtomically(path: string, write: (chunk: (bytes: Uint8Array) => void) => void): void {
  const tmp = tempPathFor(path);
  const fd = openSync(tmp, 'w');
  try {
    write((bytes) => {
      for (let off = 0; off < bytes.byteLength; ) off += writeSync(fd, bytes, off);
    });
    closeSync(fd);
    renameSync(tmp, path);
  } catch (error) {
    try { closeSync(fd); } catch { /* already closed */ }
    rmSync(tmp, { force: true });
    throw error;
  }
}
