import { closeSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { makeFolder } from '../make-folder.ts';

/**
 * The temp file {@link writeAtomically} writes `path` through. Worker threads
 * share the process id, so a batch that stops its workers mid-write knows
 * which partial file to remove.
 */
export const tempPathFor = (path: string): string => join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);

/** Why the file system refused, as a user reads it. */
const REFUSALS: Record<string, string> = {
  ENOENT: 'no such folder',
  ENOTDIR: 'a file is in the way on that path',
  EISDIR: 'a folder of that name is in the way',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on the device',
  // From mkdir: a file, not a folder, has the name.
  EEXIST: 'a file of that name is in the way',
};

/** A file-system error as `cannot write PATH: reason`, naming the user's path rather than the temp file's. */
function writeFailure(path: string, error: unknown, what = 'write'): unknown {
  const { code, syscall } = error as NodeJS.ErrnoException;
  if (syscall === undefined || code === undefined) return error;
  // mkdir's ENOENT under a folder that exists: a virtual file system (/proc, /sys) that takes no new folders.
  const reason = syscall === 'mkdir' && code === 'ENOENT' ? 'this file system takes no new folders there' : REFUSALS[code] ?? code.toLowerCase();
  return new Error(`cannot ${what} ${path}: ${reason}`, { cause: error });
}

/** Creates a batch's output folder (and its parents), naming it and the reason when it cannot. */
export function makeOutputFolder(path: string): void {
  try {
    makeFolder(path);
  } catch (error) {
    throw writeFailure(path, error, 'create the folder');
  }
}

/**
 * Writes a file atomically: everything goes to a temp file beside the target,
 * renamed over it only when `write` finished. On any error the temp file is
 * removed, so a failed command leaves no output behind.
 */
export function writeAtomically(path: string, write: (chunk: (bytes: Uint8Array) => void) => void): void {
  const tmp = tempPathFor(path);
  let fd: number;
  try {
    fd = openSync(tmp, 'w');
  } catch (error) {
    throw writeFailure(path, error);
  }
  try {
    write((bytes) => {
      for (let off = 0; off < bytes.byteLength; ) off += writeSync(fd, bytes, off);
    });
    closeSync(fd);
    renameSync(tmp, path);
  } catch (error) {
    try { closeSync(fd); } catch { /* already closed */ }
    rmSync(tmp, { force: true });
    throw writeFailure(path, error);
  }
}
