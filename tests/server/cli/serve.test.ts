/** `outboard serve` refusing a data dir it cannot use, as an operator starting it reads it. */
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { cliBin } from '../../../server/package-info.ts';
import { cleanup, tempDir } from '../helpers.ts';

const exec = promisify(execFile);
const dirs: string[] = [];
afterAll(() => dirs.forEach(cleanup));

/** Runs `outboard serve` with `OUTBOARD_DATA_DIR=dataDir`; resolves to its exit code and stderr. */
async function serveWith(dataDir: string): Promise<{ code: number; stderr: string }> {
  try {
    await exec(process.execPath, [cliBin(), 'serve', '--quiet', '--port', '0'], { env: { ...process.env, OUTBOARD_DATA_DIR: dataDir }, timeout: 20_000 });
    return { code: 0, stderr: '' };
  } catch (error) {
    const { code, stderr } = error as { code: number; stderr: string };
    return { code, stderr };
  }
}

describe('outboard serve with OUTBOARD_DATA_DIR', () => {
  it('at a file, or under one: exits 1 naming the setting, the path and why', async () => {
    const dir = tempDir();
    dirs.push(dir);
    const file = join(dir, 'data');
    writeFileSync(file, 'not a folder');
    expect(await serveWith(file)).toEqual({ code: 1, stderr: `outboard serve: OUTBOARD_DATA_DIR (or --data): cannot create the folder ${file}: a file of that name is in the way\n` });
    expect(await serveWith(join(file, 'sub'))).toEqual({ code: 1, stderr: `outboard serve: OUTBOARD_DATA_DIR (or --data): cannot create the folder ${join(file, 'sub')}: a file is in the way on that path\n` });
  }, 30_000);
});
