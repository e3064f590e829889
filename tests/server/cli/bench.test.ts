import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { cliBin } from '../../../server/package-info.ts';

const run = promisify(execFile);
const cli = (...args: string[]) => run(process.execPath, [cliBin(), ...args], { encoding: 'utf8' });

describe('npx outboard bench', () => {
  it('names in its help every suite it runs, with their flags', async () => {
    const { stdout } = await cli('bench', '--help');
    for (const suite of ['dsp', 'relay', 'app', 'midi', 'ops', 'sync', 'cluster', 'meters', 'surface', 'batch']) {
      expect(stdout).toMatch(new RegExp(`\\[[a-z|]*\\b${suite}\\b[a-z|]* \\.\\.\\.\\]`));
      expect(readdirSync(new URL('../../../bench/', import.meta.url))).toContain(`${suite}.ts`);
    }
    expect(stdout).toContain('--only=fanout,ops,resume,memory');
  });

  it("names surface's --low-latency, which the README's benchmark runs use", async () => {
    const { stdout } = await cli('bench', '--help');
    expect(stdout).toMatch(/surface: --low-latency\b/);
  });

  it('refuses an unknown suite by name, before running any', async () => {
    await expect(cli('bench', 'dsp', 'frobnicate')).rejects.toMatchObject({ code: 2, stderr: expect.stringContaining('unknown suite "frobnicate"') });
  });
});
