import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWasm } from '../../scripts/build-wasm.mjs';
import { cliBin, fromPackageRoot, PACKAGE_ROOT } from '../../server/package-info.ts';
import { encodeWav } from '../../wasm/host/index.ts';

let dir = '';
const path = (...names: string[]) => join(dir, ...names);

function run(command: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(command, args, { encoding: 'utf8', cwd: dir }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

/** A user's data-set script, in a folder where the package is installed (linked, as `npm link` does). */
const SCRIPT = `
import { processFiles, renderSweep, BatchRefused } from 'outboard';
const files = await processFiles({ inputs: ['in/a.wav', 'in/b.wav'], outDir: 'lib-out', chain: ['filter:mode=highpass,cutoff=80', 'delay'], jobs: 2 });
const sweep = await renderSweep({ session: 'synth.json', outDir: 'lib-sweep', vary: ['t1/osc/cutoff', 't1/osc/resonance=0..0.5'], random: 3, seed: 5, seconds: 0.5 });
let refused;
try { await processFiles({ inputs: ['in/a.wav'], outDir: 'never', chain: ['flanger'] }); } catch (e) { refused = e instanceof BatchRefused && e.code; }
console.log(JSON.stringify({ written: files.written, failed: files.failed, rows: sweep.rows.length, manifest: sweep.manifest, refused }));
`;

beforeAll(async () => {
  await buildWasm();
  dir = mkdtempSync(join(tmpdir(), 'outboard-lib-'));
  mkdirSync(path('node_modules'));
  symlinkSync(PACKAGE_ROOT, path('node_modules', 'outboard'));
  writeFileSync(path('package.json'), JSON.stringify({ type: 'module', private: true }));
  mkdirSync(path('in'));
  const tone = Float32Array.from({ length: 12000 }, (_, i) => 0.4 * Math.sin(i / 7));
  writeFileSync(path('in', 'a.wav'), encodeWav({ sampleRate: 48000, channels: 2, bits: 16, float: false }, [tone, tone]));
  writeFileSync(path('in', 'b.wav'), encodeWav({ sampleRate: 44100, channels: 1, bits: 24, float: false }, [tone]));
  writeFileSync(path('synth.json'), JSON.stringify({
    format: 'outboard.session/1', id: 's', name: 'S', tempo_bpm: 120,
    tracks: [{ id: 't1', name: 'Synth', chain: [{ id: 'osc', type: 'synth' }] }],
  }));
  writeFileSync(path('make.mjs'), SCRIPT);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("the library API: import { processFiles, renderSweep } from 'outboard'", () => {
  it('runs from a script in another folder and writes what the CLI writes', async () => {
    const r = await run(process.execPath, ['make.mjs']);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual({ written: 2, failed: 0, rows: 3, manifest: 'lib-sweep/manifest.jsonl', refused: 'PLUGIN_NOT_FOUND' });
    const cli = await run(process.execPath, [cliBin(), 'process', 'in/a.wav', 'in/b.wav', '--out-dir', 'cli-out', '--quiet', 'filter:mode=highpass,cutoff=80', 'delay']);
    expect(cli.code).toBe(0);
    for (const f of ['a.wav', 'b.wav']) expect(readFileSync(path('lib-out', f)).equals(readFileSync(path('cli-out', f))), f).toBe(true);
    const sweep = await run(process.execPath, [cliBin(), 'render', 'synth.json', 'cli-sweep', '--random', '3', '--seed', '5', '--vary', 't1/osc/cutoff', '--vary', 't1/osc/resonance=0..0.5', '--seconds', '0.5', '--quiet']);
    expect(sweep.code).toBe(0);
    for (const f of ['manifest.jsonl', 'synth_0001.wav', 'synth_0003.wav']) expect(readFileSync(path('lib-sweep', f)).equals(readFileSync(path('cli-sweep', f))), f).toBe(true);
  });

  it('refuses options a plain-JS script gets wrong by name, before writing anything (jobs: NaN never settled; bits: 12 failed every file)', async () => {
    writeFileSync(path('wrong.mjs'), `
import { processFiles, renderSweep } from 'outboard';
const calls = [
  () => processFiles({ inputs: ['in/a.wav'], outDir: 'bad-jobs', chain: ['gain'], jobs: NaN }),
  () => renderSweep({ session: 'synth.json', outDir: 'bad-sweep-jobs', vary: ['t1/osc/cutoff=200..400:2'], seconds: 0.1, jobs: 0 }),
  () => renderSweep({ session: 'synth.json', outDir: 'bad-bits', vary: ['t1/osc/cutoff=200..400:2'], seconds: 0.1, jobs: 1, bits: 12 }),
];
const out = [];
for (const call of calls) {
  try { await call(); out.push('ran'); } catch (e) { out.push(e.name + ': ' + e.message); }
}
console.log(JSON.stringify(out));
`);
    const r = await run(process.execPath, ['wrong.mjs']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([
      'UsageError: jobs must be a whole number from 1 to 256 (got NaN)',
      'UsageError: jobs must be a whole number from 1 to 256 (got 0)',
      'UsageError: bits must be 16, 24 or 32 (got 12)',
    ]);
    for (const d of ['bad-jobs', 'bad-sweep-jobs', 'bad-bits']) expect(existsSync(path(d)), d).toBe(false);
  });

  it('is typed: a TypeScript script type-checks against the shipped declarations, and a wrong option does not', async () => {
    writeFileSync(path('tsconfig.json'), JSON.stringify({
      compilerOptions: { module: 'nodenext', target: 'es2022', strict: true, noEmit: true, types: ['node'], typeRoots: [fromPackageRoot('node_modules', '@types')] },
      files: ['check.ts'],
    }));
    const tsc = fromPackageRoot('node_modules', 'typescript', 'bin', 'tsc');
    writeFileSync(path('check.ts'), "import { renderSweep, type SweepReport } from 'outboard';\n"
      + "const r: SweepReport = await renderSweep({ session: 'synth.json', outDir: 'd', vary: ['t1/osc/cutoff=200..400:3'], bits: 24 });\n"
      + 'export const first: Readonly<Record<string, number>> | undefined = r.rows[0]?.params;\n');
    expect(await run(process.execPath, [tsc, '-p', '.'])).toMatchObject({ code: 0, stdout: '' });
    writeFileSync(path('check.ts'), "import { processFiles } from 'outboard';\nawait processFiles({ inputs: [], outDir: 'o', chain: ['gain'], bits: 8 });\n");
    const wrong = await run(process.execPath, [tsc, '-p', '.']);
    expect(wrong.code).not.toBe(0);
    expect(wrong.stdout).toMatch(/Type '8' is not assignable to type 'WavBits \| undefined'/);
  });
});
