/**
 * makeFolder: `mkdir -p` for the data folder and the CLI's --out-dir, which
 * must fail with the file system's reason where Node 20's recursive mkdir
 * spins forever (/proc).
 */
import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeFolder } from '../../server/make-folder.ts';
import { cleanup, tempDir } from './helpers.ts';

const codeOf = (f: () => void): string | undefined => {
  try {
    f();
    return undefined;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code;
  }
};

describe('makeFolder', () => {
  it('creates every missing parent, and leaves a folder that exists as it is', () => {
    const dir = tempDir();
    const deep = join(dir, 'a', 'b', 'c');
    makeFolder(deep);
    expect(statSync(deep).isDirectory()).toBe(true);
    writeFileSync(join(deep, 'kept'), 'x');
    makeFolder(deep);
    expect(statSync(join(deep, 'kept')).isFile()).toBe(true);
    cleanup(dir);
  });

  it('answers EEXIST for a file where the folder should be, and ENOTDIR for a file on the way', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'file'), 'x');
    expect(codeOf(() => makeFolder(join(dir, 'file')))).toBe('EEXIST');
    expect(codeOf(() => makeFolder(join(dir, 'file', 'sub')))).toBe('ENOTDIR');
    cleanup(dir);
  });

  it('answers ENOENT under /proc, which takes no folders, instead of looping', () => {
    expect(codeOf(() => makeFolder('/proc/outboard-test/deeper'))).toBe('ENOENT');
  });
});
