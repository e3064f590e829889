import { execFile, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWasm } from '../../../scripts/build-wasm.mjs';
import { cliBin } from '../../../server/package-info.ts';
import { decodeWav, encodeWav } from '../../../wasm/host/index.ts';

let dir = '';
const path = (...names: string[]) => join(dir, ...names);
/** Stateful plugins (a delay line, reverb tails, a compressor's envelope): a worker reusing its engine must clear them. */
const CHAIN = ['filter:mode=lowpass,cutoff=3000', 'delay:time_ms=120,feedback=0.5', 'reverb:mix=0.4', 'compressor:threshold_db=-30'];

/** Runs the compiled CLI (what `npx outboard` runs); stdout is a pipe, not a terminal. */
function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [cliBin(), ...args], { encoding: 'utf8' }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

const bytes = (...names: string[]) => readFileSync(path(...names));
const wavFiles = (folder: string) => readdirSync(path(folder)).sort();

beforeAll(async () => {
  await buildWasm();
  dir = mkdtempSync(join(tmpdir(), 'outboard-batch-'));
  mkdirSync(path('in'));
  const tone = (n: number, rate: number, f: number) => Float32Array.from({ length: n }, (_, i) => 0.5 * Math.sin((2 * Math.PI * f * i) / rate) * (i % 9000 < 3000 ? 1 : 0.1));
  writeFileSync(path('in', 'a.wav'), encodeWav({ sampleRate: 44100, channels: 2, bits: 16, float: false }, [tone(44100, 44100, 220), tone(44100, 44100, 330)]));
  writeFileSync(path('in', 'b.wav'), encodeWav({ sampleRate: 48000, channels: 1, bits: 24, float: false }, [tone(30000, 48000, 440)]));
  writeFileSync(path('in', 'c.wav'), encodeWav({ sampleRate: 44100, channels: 2, bits: 32, float: true }, [tone(20000, 44100, 110), tone(20000, 44100, 660)]));
  writeFileSync(path('in', 'd.wav'), encodeWav({ sampleRate: 22050, channels: 2, bits: 16, float: false }, [tone(15000, 22050, 550), tone(15000, 22050, 770)]));
  mkdirSync(path('bad'));
  writeFileSync(path('bad', 'broken.wav'), bytes('in', 'a.wav').subarray(0, 1000));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const inputs = () => ['a.wav', 'b.wav', 'c.wav', 'd.wav'].map((n) => path('in', n));

describe('outboard process, many files at once', () => {
  it('agrees byte for byte with the single-file command, each output keeping its input\'s name, rate and channels', async () => {
    // One worker runs all four files on one engine per rate: what it carried over from the last file must not leak.
    const batch = await cli('process', ...inputs(), '--out-dir', path('one'), '--jobs', '1', ...CHAIN);
    expect(batch.code).toBe(0);
    expect(batch.stderr).toBe('');
    expect(wavFiles('one')).toEqual(['a.wav', 'b.wav', 'c.wav', 'd.wav']);
    for (const name of ['a.wav', 'b.wav', 'c.wav', 'd.wav']) {
      const single = await cli('process', path('in', name), path(`single-${name}`), ...CHAIN);
      expect(single.code).toBe(0);
      expect(bytes('one', name).equals(bytes(`single-${name}`)), name).toBe(true);
      const [input, output] = [decodeWav(bytes('in', name)), decodeWav(bytes('one', name))];
      if (!input.ok || !output.ok) throw new Error('undecodable');
      expect([output.value.sampleRate, output.value.channels.length, output.value.channels[0]?.length])
        .toEqual([input.value.sampleRate, input.value.channels.length, input.value.channels[0]?.length]);
    }
  });

  it('gives the same files with --jobs 1 and --jobs 2, and honours --bits/--int', async () => {
    expect((await cli('process', ...inputs(), '--out-dir', path('j1'), '--jobs', '1', '--bits', '24', ...CHAIN)).code).toBe(0);
    expect((await cli('process', ...inputs(), '--out-dir', path('j2'), '--jobs', '2', '--bits', '24', ...CHAIN)).code).toBe(0);
    for (const name of wavFiles('j1')) expect(bytes('j2', name).equals(bytes('j1', name)), name).toBe(true);
    const out = decodeWav(bytes('j2', 'a.wav'));
    expect(out.ok && [out.value.bitsPerSample, out.value.float]).toEqual([24, false]);
  });

  it('reports a corrupt file by name and reason, writes the others, exits non-zero; prints the summary', async () => {
    const r = await cli('process', path('in', 'a.wav'), path('bad', 'broken.wav'), path('in', 'b.wav'), path('nope.wav'), '--out-dir', path('mixed'), '--jobs', '2', ...CHAIN);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/broken\.wav: not a usable WAV file: .*truncated/);
    expect(r.stderr).toMatch(/nope\.wav: no such file/);
    expect(wavFiles('mixed')).toEqual(['a.wav', 'b.wav']);
    // Not a terminal: no progress line, only the summary.
    expect(r.stdout).toMatch(/^2 of 4 files written, 2 failed: 1\.6 s of audio in [\d.]+ s \([\d.]+x realtime\)\n$/);
  });

  it('--fail-fast stops at the first failure', async () => {
    const r = await cli('process', path('bad', 'broken.wav'), ...inputs(), '--out-dir', path('fast'), '--jobs', '1', '--fail-fast', '--quiet', ...CHAIN);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/broken\.wav: not a usable WAV file[^\n]*\noutboard process: stopped at the first failure \(--fail-fast\)\n$/);
    expect(r.stdout).toBe('');
    expect(wavFiles('fast')).toEqual([]);
  });

  it('takes the inputs from a list with --from', async () => {
    writeFileSync(path('list.txt'), `# stems\n${path('in', 'b.wav')}\n\n${path('in', 'd.wav')}\n`);
    const r = await cli('process', '--from', path('list.txt'), '--out-dir', path('listed'), '--quiet', ...CHAIN);
    expect(r).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(wavFiles('listed')).toEqual(['b.wav', 'd.wav']);
    expect(bytes('listed', 'b.wav').equals(bytes('one', 'b.wav'))).toBe(true);
    // `--from -`: the list on stdin, as from `find ... | outboard process --from - ...`.
    const piped = spawnSync(process.execPath, [cliBin(), 'process', '--from', '-', '--out-dir', path('piped'), ...CHAIN], { input: `${path('in', 'c.wav')}\n`, encoding: 'utf8' });
    expect(piped.status).toBe(0);
    expect(wavFiles('piped')).toEqual(['c.wav']);
  });

  // Arguments built when the test runs, once the temp folder exists.
  const refusals: [string, () => string[], RegExp][] = [
    ['two inputs with the same name', () => [path('in', 'a.wav'), path('bad', 'a.wav'), '--out-dir', path('x')], /would both be written to a\.wav/],
    ['outputs over their inputs', () => [path('in', 'a.wav'), '--out-dir', path('in')], /a\.wav would be overwritten/],
    ['--from without --out-dir', () => ['--from', path('list.txt')], /--out-dir DIR is needed/],
    ['several inputs without --out-dir', inputs, /several input files need --out-dir DIR/],
    ['a bad --jobs', () => [path('in', 'a.wav'), '--out-dir', path('x'), '--jobs', '0'], /--jobs must be a whole number/],
  ];
  for (const [what, args, message] of refusals) {
    it(`refuses ${what} with usage (exit 2), writing nothing`, async () => {
      const r = await cli('process', ...args(), 'gain');
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(existsSync(path('x'))).toBe(false);
    });
  }

  it('refuses a bad chain before any file runs', async () => {
    const r = await cli('process', ...inputs(), '--out-dir', path('x'), 'filter:cutoff=50000');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/INVALID_PARAMETER: filter: cutoff=50000 is out of range/);
    expect(existsSync(path('x'))).toBe(false);
  });

  it('refuses a misspelt plugin before any file runs, instead of reading it as a missing input and writing the rest unprocessed', async () => {
    const r = await cli('process', ...inputs(), '--out-dir', path('x'), 'gian:gain_db=-6', 'compressor');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/PLUGIN_NOT_FOUND: unknown plugin "gian" .*no input file by that name either/);
    expect(existsSync(path('x'))).toBe(false);
  });

  it('names an --out-dir it cannot create and why, writing nothing', async () => {
    writeFileSync(path('a-file'), 'not a folder');
    const r = await cli('process', ...inputs(), '--out-dir', path('a-file'), 'gain');
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`outboard process: cannot create the folder ${path('a-file')}: a file of that name is in the way\n`);
  });

  it('names an --out-dir on a file system that takes no folders (/proc), rather than spinning in Node 20\'s recursive mkdir', async () => {
    const r = await cli('process', ...inputs(), '--out-dir', '/proc/outboard-out/mixes', 'gain');
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('outboard process: cannot create the folder /proc/outboard-out/mixes: this file system takes no new folders there\n');
  });

  it('on a terminal shows a progress line (files, audio-seconds per second, ETA), wiped before the summary; --quiet silences it', () => {
    // A real pseudo-terminal (util-linux `script`), so stdout.isTTY is true as in a user's shell.
    const onTerminal = (...extra: string[]) => spawnSync('script', ['-qec', [process.execPath, cliBin(), 'process', ...inputs(), '--out-dir', path('tty'), '--jobs', '1', ...extra, 'gain'].join(' '), '/dev/null'], { encoding: 'utf8' });
    const shown = onTerminal();
    expect(shown.status).toBe(0);
    for (let done = 1; done <= 4; done++) expect(shown.stdout).toMatch(new RegExp(`\\r\\x1b\\[K${done}/4 files  [\\d.]+ audio-s/s  ETA \\d+:\\d\\d`));
    expect(shown.stdout).toMatch(/ETA \d+:\d\d\r\x1b\[K4 of 4 files written: [\d.]+ s of audio in [\d.]+ s \([\d.]+x realtime\)\r?\n$/);
    const quiet = onTerminal('--quiet');
    expect(quiet.status).toBe(0);
    expect(quiet.stdout).toBe('');
  });

  it('Ctrl-C stops the workers, leaves no partial file, and reports what finished', async () => {
    // 40 names for one 30 s file: minutes of work, interrupted as soon as the first output is being written.
    mkdirSync(path('many'));
    const long = Float32Array.from({ length: 30 * 48000 }, (_, i) => 0.3 * Math.sin(i / 20));
    writeFileSync(path('long.wav'), encodeWav({ sampleRate: 48000, channels: 2, bits: 16, float: false }, [long, long]));
    const names = Array.from({ length: 40 }, (_, i) => `f${String(i).padStart(2, '0')}.wav`);
    for (const n of names) symlinkSync(path('long.wav'), path('many', n));
    mkdirSync(path('cut'));
    const child = spawn(process.execPath, [cliBin(), 'process', ...names.map((n) => path('many', n)), '--out-dir', path('cut'), '--jobs', '2', '--bits', '16', ...CHAIN]);
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    await new Promise<void>((resolve) => {
      const poll = setInterval(() => {
        if (readdirSync(path('cut')).some((f) => f.endsWith('.tmp'))) {
          clearInterval(poll);
          resolve();
        }
      }, 5);
    });
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    const left = readdirSync(path('cut'));
    expect(left.filter((f) => !f.endsWith('.wav'))).toEqual([]);
    for (const f of left) {
      const out = decodeWav(readFileSync(path('cut', f)));
      expect(out.ok && out.value.channels[0]?.length, f).toBe(30 * 48000);
    }
    expect(stderr).toMatch(new RegExp(`interrupted: ${left.length} of 40 files finished, no partial file left`));
  });
});
