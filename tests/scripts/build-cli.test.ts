import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli, cliIsStale } from '../../scripts/build-cli.mjs';

const REPO = join(import.meta.dirname, '..', '..');
let root = '';

/** Writes a source file with an explicit modification time (seconds since 1970), so no test waits on the clock. */
function write(path: string, code: string, mtime: number): void {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), code);
  utimesSync(join(root, path), mtime, mtime);
}

/** Dates every compiled file back to `mtime` (seconds): as if built then. */
function builtAt(mtime: number): void {
  const out = join(root, 'build', 'cli');
  for (const e of readdirSync(out, { withFileTypes: true, recursive: true })) {
    if (e.isFile()) utimesSync(join(e.parentPath, e.name), mtime, mtime);
  }
}

const runCompiled = () => execFileSync(process.execPath, [join(root, 'build', 'cli', 'bin', 'outboard.js')], { encoding: 'utf8' }).trim();

beforeAll(() => {
  // A tiny package compiled by the real config and script: an entry that prints what it imports.
  root = mkdtempSync(join(tmpdir(), 'outboard-build-cli-'));
  for (const file of ['tsconfig.json', 'tsconfig.cli.json', 'scripts/build-cli.mjs']) {
    mkdirSync(dirname(join(root, file)), { recursive: true });
    cpSync(join(REPO, file), join(root, file));
    utimesSync(join(root, file), 1000, 1000);
  }
  symlinkSync(join(REPO, 'node_modules'), join(root, 'node_modules'), 'dir');
  writeFileSync(join(root, 'package.json'), '{ "type": "module" }');
  write('bin/outboard.ts', "import { word } from '../server/word.ts';\nconsole.log(word);\n", 1000);
  write('server/word.ts', "export const word: string = 'first';\n", 1000);
  // The other entries tsconfig.cli.json names (spawned processes, worker threads, the library), read from it so a
  // new entry needs no edit here. Its `files` line holds no comment, so the list parses as JSON.
  const files = /"files":\s*(\[[^\]]*\])/.exec(readFileSync(join(REPO, 'tsconfig.cli.json'), 'utf8'))![1]!;
  for (const entry of JSON.parse(files) as string[]) if (entry !== 'bin/outboard.ts') write(entry, 'export {};\n', 1000);
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('scripts/build-cli.mjs', () => {
  it('compiles a missing CLI to JavaScript that runs with plain node, then leaves it alone', () => {
    expect(cliIsStale(root)).toBe(true);
    buildCli({ root });
    expect(runCompiled()).toBe('first');
    expect(cliIsStale(root)).toBe(false);
  });

  it('rebuilds when a source is newer than its compiled file', () => {
    builtAt(2000);
    write('server/word.ts', "export const word: string = 'second';\n", 3000);
    expect(cliIsStale(root)).toBe(true);
    buildCli({ root });
    expect(runCompiled()).toBe('second');
    expect(cliIsStale(root)).toBe(false);
  });

  it('rebuilds when a compiled file\'s source is gone, and drops that file', () => {
    builtAt(4000);
    // The entry now imports another module, its file dated before the last build (a copy that kept dates).
    write('server/other.ts', "export const word: string = 'third';\n", 1000);
    write('bin/outboard.ts', "import { word } from '../server/other.ts';\nconsole.log(word);\n", 1000);
    expect(cliIsStale(root)).toBe(false);
    rmSync(join(root, 'server', 'word.ts'));
    expect(cliIsStale(root)).toBe(true);
    buildCli({ root });
    expect(runCompiled()).toBe('third');
    expect(existsSync(join(root, 'build', 'cli', 'server', 'word.js'))).toBe(false);
  });

  it('rebuilds when the compiler config changes', () => {
    builtAt(6000);
    expect(cliIsStale(root)).toBe(false);
    utimesSync(join(root, 'tsconfig.cli.json'), 7000, 7000);
    expect(cliIsStale(root)).toBe(true);
  });
});
