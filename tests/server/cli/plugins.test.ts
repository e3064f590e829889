import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { cliBin } from '../../../server/package-info.ts';
import { PLUGINS } from '../../../src/plugins/index.ts';

const run = promisify(execFile);
const cli = (...args: string[]) => run(process.execPath, [cliBin(), ...args], { encoding: 'utf8' });

describe('npx outboard plugins', () => {
  it('lists the nine plugin types with params, units, ranges and defaults', async () => {
    const { stdout } = await cli('plugins');
    for (const type of ['gain', 'filter', 'eq', 'compressor', 'delay', 'reverb', 'drive', 'chorus', 'synth']) {
      expect(stdout).toMatch(new RegExp(`^${type} \\((effect|instrument)\\)`, 'm'));
    }
    expect(stdout).toMatch(/cutoff\s+Hz\s+20 \.\. 20000\s+1000\s+log/);
    expect(stdout).toMatch(/mode\s+-\s+lowpass \| highpass \| bandpass \| notch \| allpass\s+lowpass \(0\)/);
  });

  it('prints the catalog as JSON on request', async () => {
    const { stdout } = await cli('plugins', '--json');
    expect(JSON.parse(stdout)).toEqual(PLUGINS);
  });

  it('explains itself and refuses unknown commands', async () => {
    const { stdout } = await cli('--help');
    expect(stdout).toContain('plugins');
    await expect(cli('frobnicate')).rejects.toMatchObject({ code: 2, stderr: expect.stringContaining('unknown command "frobnicate"') });
  });
});
