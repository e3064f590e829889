import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWasm } from '../../../scripts/build-wasm.mjs';
import { cliBin } from '../../../server/package-info.ts';

let dir = '';
const path = (...names: string[]) => join(dir, ...names);
const bytes = (...names: string[]) => readFileSync(path(...names));

/** Runs the compiled CLI (what `npx outboard` runs); stdout is a pipe, not a terminal. */
function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [cliBin(), ...args], { encoding: 'utf8' }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

/** The synth track's session: a synth through a filter and a delay (state that carries from one render to the next if not cleared). */
const SESSION: { tracks: { id: string; name: string; chain: { id: string; type: string; params: Record<string, number> }[] }[] } & Record<string, unknown> = {
  format: 'outboard.session/1', id: 's1', name: 'Sweep', tempo_bpm: 128,
  tracks: [{
    id: 'lead', name: 'Lead',
    chain: [
      { id: 'osc', type: 'synth', params: { cutoff: 3000, resonance: 0.3 } },
      { id: 'flt', type: 'filter', params: { mode: 0, cutoff: 5000 } },
      { id: 'dly', type: 'delay', params: { time_ms: 180, feedback: 0.5 } },
    ],
  }],
};

const manifest = (folder: string) => readFileSync(path(folder, 'manifest.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { file: string; params: Record<string, number> });

beforeAll(async () => {
  await buildWasm();
  dir = mkdtempSync(join(tmpdir(), 'outboard-sweep-'));
  writeFileSync(path('lead.json'), JSON.stringify(SESSION));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('outboard render sweeps', () => {
  it('renders every step to NAME_0001.wav..., and the manifest names each file with the values it was rendered with', async () => {
    const r = await cli('render', path('lead.json'), path('steps'), '--vary', 'lead/osc/cutoff=200..8000:4', '--vary', 'Lead/filter/q=0.5..8:4', '--seconds', '1', '--jobs', '1');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^4 of 4 files written: 4\.0 s of audio in [\d.]+ s \([\d.]+x realtime\)\n$/);
    expect(readdirSync(path('steps')).sort()).toEqual(['lead_0001.wav', 'lead_0002.wav', 'lead_0003.wav', 'lead_0004.wav', 'manifest.jsonl']);
    const rows = manifest('steps');
    expect(rows.map((row) => row.file)).toEqual(['lead_0001.wav', 'lead_0002.wav', 'lead_0003.wav', 'lead_0004.wav']);
    expect(rows[0]?.params).toEqual({ 'lead/osc/cutoff': 200, 'lead/flt/q': 0.5 });
    expect(rows[3]?.params).toEqual({ 'lead/osc/cutoff': 8000, 'lead/flt/q': 8 });
    // Re-render rows alone, with the single-file command, from a session holding that row's values.
    for (const row of [rows[2], rows[3]]) {
      if (!row) throw new Error('missing row');
      const doc = structuredClone(SESSION);
      doc.tracks[0]!.chain[0]!.params.cutoff = row.params['lead/osc/cutoff'] as number;
      doc.tracks[0]!.chain[1]!.params.q = row.params['lead/flt/q'] as number;
      writeFileSync(path('row.json'), JSON.stringify(doc));
      expect((await cli('render', path('row.json'), path('row.wav'), '--seconds', '1')).code).toBe(0);
      expect(bytes('row.wav').equals(bytes('steps', row.file)), row.file).toBe(true);
    }
    expect(bytes('steps', 'lead_0001.wav').equals(bytes('steps', 'lead_0004.wav'))).toBe(false);
  });

  it('--grid renders every combination, the first --vary changing slowest; --csv writes manifest.csv', async () => {
    const r = await cli('render', path('lead.json'), path('grid'), '--grid', '--vary', 'lead/osc/waveform=0..3:4', '--vary', 'lead/dly/mix=0..0.5:2', '--seconds', '0.25', '--csv', '--quiet');
    expect(r).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(readFileSync(path('grid', 'manifest.csv'), 'utf8')).toBe([
      'file,lead/osc/waveform,lead/dly/mix',
      'lead_0001.wav,0,0', 'lead_0002.wav,0,0.5', 'lead_0003.wav,1,0', 'lead_0004.wav,1,0.5',
      'lead_0005.wav,2,0', 'lead_0006.wav,2,0.5', 'lead_0007.wav,3,0', 'lead_0008.wav,3,0.5', '',
    ].join('\n'));
    expect(readdirSync(path('grid')).filter((f) => f.endsWith('.wav'))).toHaveLength(8);
  });

  it('the same seed gives the same files byte for byte, on any number of workers; another seed other draws', async () => {
    const sweep = (folder: string, seed: string, jobs: string) => cli('render', path('lead.json'), path(folder), '--random', '5', '--seed', seed,
      '--vary', 'lead/osc/cutoff', '--vary', 'lead/osc/resonance=0..0.8', '--vary', 'lead/flt/mode', '--seconds', '0.5', '--jobs', jobs, '--bits', '16');
    expect((await sweep('seedA', '42', '2')).code).toBe(0);
    expect((await sweep('seedB', '42', '1')).code).toBe(0);
    expect((await sweep('seedC', '43', '2')).code).toBe(0);
    const files = readdirSync(path('seedA')).sort();
    expect(files).toHaveLength(6);
    for (const f of files) expect(bytes('seedB', f).equals(bytes('seedA', f)), f).toBe(true);
    expect(bytes('seedC', 'manifest.jsonl').equals(bytes('seedA', 'manifest.jsonl'))).toBe(false);
    for (const row of manifest('seedA')) {
      expect(row.params['lead/osc/cutoff']).toBeGreaterThanOrEqual(20);
      expect(row.params['lead/osc/cutoff']).toBeLessThanOrEqual(20000);
      expect(row.params['lead/osc/resonance']).toBeLessThanOrEqual(0.8);
      expect(Number.isInteger(row.params['lead/flt/mode'])).toBe(true);
    }
  });

  it('takes choices by name or index, as process does', async () => {
    const r = await cli('render', path('lead.json'), path('modes'), '--vary', 'lead/flt/mode=highpass..notch:3', '--seconds', '0.2', '--jobs', '1', '--quiet');
    expect(r.code).toBe(0);
    expect(manifest('modes').map((row) => row.params['lead/flt/mode'])).toEqual([1, 2, 3]);
  });

  const refusals: [string, string[], RegExp, number][] = [
    ['an unknown track', ['--vary', 'bass/osc/cutoff=200..800:3'], /TRACK_NOT_FOUND: --vary bass\/osc\/cutoff=200\.\.800:3: no track "bass" \(tracks: lead, master\)/, 1],
    ['an unknown plugin', ['--vary', 'lead/reverb/mix=0..1:3'], /PLUGIN_NOT_FOUND: .*track lead has no plugin "reverb" \(plugins: osc \(synth\), flt \(filter\), dly \(delay\)\)/, 1],
    ['an unknown param', ['--vary', 'lead/osc/cutof=200..800:3'], /INVALID_PARAMETER: .*synth has no param "cutof"/, 1],
    ['a range outside the param\'s', ['--vary', 'lead/osc/cutoff=10..800:3'], /cutoff must stay within 20\.\.20000 Hz/, 1],
    ['an unknown choice', ['--vary', 'lead/flt/mode=lowpass..lowshelf:2'], /mode must stay within lowpass \| highpass \| bandpass \| notch \| allpass \(or 0\.\.4\)/, 1],
    ['a malformed --vary', ['--vary', 'lead/osc/cutoff=200-800'], /expected TRACK\/PLUGIN\/PARAM=FROM\.\.TO:STEPS/, 1],
    ['steps that differ without --grid', ['--vary', 'lead/osc/cutoff=200..800:3', '--vary', 'lead/flt/q=1..2:4'], /need the same STEPS \(or --grid/, 1],
    ['a sweep without steps', ['--vary', 'lead/osc/cutoff=200..800'], /needs :STEPS .* unless --random/, 1],
    ['--seed without --random', ['--vary', 'lead/osc/cutoff=200..800:3', '--seed', '4'], /--seed goes with --random N/, 2],
    ['steps with --random', ['--vary', 'lead/osc/cutoff=200..800:3', '--random', '3'], /--random draws within FROM\.\.TO; drop :STEPS/, 1],
    ['--grid with --random', ['--vary', 'lead/osc/cutoff', '--random', '3', '--grid'], /--grid and --random do not go together/, 2],
  ];
  for (const [what, args, message, code] of refusals) {
    it(`refuses ${what}, names it, and renders nothing`, async () => {
      const r = await cli('render', path('lead.json'), path('refused'), ...args);
      expect(r.code).toBe(code);
      expect(r.stderr).toMatch(message);
      expect(existsSync(path('refused'))).toBe(false);
    });
  }
});

describe('outboard render sweeps, interrupted', () => {
  it('Ctrl-C leaves no partial file, and the manifest names exactly the files that finished', async () => {
    const child = spawn(process.execPath, [cliBin(), 'render', path('lead.json'), path('cut'), '--grid', '--vary', 'lead/osc/cutoff=100..12000:100',
      '--vary', 'lead/osc/waveform=0..3:4', '--seconds', '4', '--jobs', '2']);
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    // Interrupted while a render is being written, minutes of work left, once three have finished: a file
    // renamed in the instant of the interrupt, before its worker's report reached the batch, is removed (it is
    // not in the report), so on a busy machine the first one alone might not count yet.
    await new Promise<void>((resolve) => {
      const poll = setInterval(() => {
        const files = existsSync(path('cut')) ? readdirSync(path('cut')) : [];
        if (files.some((f) => f.endsWith('.tmp')) && files.filter((f) => f.endsWith('.wav')).length >= 3) {
          clearInterval(poll);
          resolve();
        }
      }, 5);
    });
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    const left = readdirSync(path('cut')).sort();
    expect(left.filter((f) => !f.endsWith('.wav') && f !== 'manifest.jsonl')).toEqual([]);
    const written = left.filter((f) => f.endsWith('.wav'));
    expect(written.length).toBeGreaterThan(0);
    expect(manifest('cut').map((row) => row.file).sort()).toEqual(written);
    expect(stderr).toMatch(new RegExp(`interrupted: ${written.length} of 400 files finished, no partial file left`));
  });
});
