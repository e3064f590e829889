import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWasm } from '../../scripts/build-wasm.mjs';
import { cliBin, PACKAGE_ROOT } from '../../server/package-info.ts';
import { encodeWav } from '../../wasm/host/index.ts';

/**
 * The CLI as it ships: package.json, the compiled build/cli/ and node_modules
 * in a folder of their own, with no TypeScript sources, no tests/ and no
 * scripts/ beside them. Whatever it needs at run time must be in there.
 */
let pkg = '';
let work = '';

function run(bin: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { encoding: 'utf8', cwd: work }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

const shipped = () => join(pkg, relative(PACKAGE_ROOT, cliBin()));

beforeAll(async () => {
  await buildWasm();
  pkg = mkdtempSync(join(tmpdir(), 'outboard-pkg-'));
  work = mkdtempSync(join(tmpdir(), 'outboard-work-'));
  cpSync(join(PACKAGE_ROOT, 'package.json'), join(pkg, 'package.json'));
  cpSync(join(PACKAGE_ROOT, 'build', 'cli'), join(pkg, 'build', 'cli'), { recursive: true });
  symlinkSync(join(PACKAGE_ROOT, 'node_modules'), join(pkg, 'node_modules'), 'dir');
  const tone = Float32Array.from({ length: 4800 }, (_, i) => 0.5 * Math.sin((2 * Math.PI * 440 * i) / 48000));
  writeFileSync(join(work, 'in.wav'), encodeWav({ sampleRate: 48000, channels: 1, bits: 16, float: false }, [tone]));
});

afterAll(() => {
  rmSync(pkg, { recursive: true, force: true });
  rmSync(work, { recursive: true, force: true });
});

describe('the compiled CLI, shipped without sources', () => {
  it('package.json bin names a JavaScript file that prints the version', async () => {
    expect(cliBin()).toMatch(/\.js$/);
    const version = (JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
    expect(await run(shipped(), '--version')).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
  });

  it('lists the catalog and explains its commands', async () => {
    const plugins = await run(shipped(), 'plugins');
    expect(plugins.code).toBe(0);
    expect(plugins.stdout).toMatch(/compressor/);
    const help = await run(shipped(), '--help');
    expect(help.stdout).toMatch(/process/);
    expect(help.stdout).toMatch(/bench/);
  });

  it('without wasm/engine.wasm, process fails with ENGINE_ERROR naming the build command, and writes nothing', async () => {
    const r = await run(shipped(), 'process', 'in.wav', 'out.wav', 'gain:gain_db=-6');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/ENGINE_ERROR: .*wasm\/engine\.wasm is missing; build it with `npm run build:wasm`/);
    expect(() => readFileSync(join(work, 'out.wav'))).toThrow();
  });

  it('without wasm/engine.wasm, a batch or a sweep is refused once with ENGINE_ERROR before any file runs, and makes no folder', async () => {
    writeFileSync(join(work, 'synth.json'), JSON.stringify({ format: 'outboard.session/1', id: 's1', name: 'S', tempo_bpm: 120, tracks: [{ id: 'lead', name: 'Lead', chain: [{ id: 'osc', type: 'synth' }] }] }));
    const batch = await run(shipped(), 'process', 'in.wav', '--out-dir', 'batch-out', 'gain:gain_db=-6');
    const sweep = await run(shipped(), 'render', 'synth.json', 'sweep-out', '--vary', 'lead/osc/cutoff=200..800:3');
    for (const [r, command] of [[batch, 'process'], [sweep, 'render']] as const) {
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(new RegExp(`^outboard ${command}: ENGINE_ERROR: .*wasm/engine\\.wasm is missing; build it with \`npm run build:wasm\``));
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
    expect(existsSync(join(work, 'batch-out'))).toBe(false);
    expect(existsSync(join(work, 'sweep-out'))).toBe(false);
  });

  it('with the built engine beside it, process runs', async () => {
    mkdirSync(join(pkg, 'wasm'));
    cpSync(join(PACKAGE_ROOT, 'wasm', 'engine.wasm'), join(pkg, 'wasm', 'engine.wasm'));
    const r = await run(shipped(), 'process', 'in.wav', 'out.wav', 'gain:gain_db=-6');
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(readFileSync(join(work, 'out.wav')).length).toBeGreaterThan(4800 * 4);
  });
});
