import { execFile, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWasm } from '../../../scripts/build-wasm.mjs';
import { cliBin } from '../../../server/package-info.ts';
import { loadEngine } from '../../../server/cli/engine-file.ts';
import { parseChain } from '../../../server/cli/chain-spec.ts';
import { decodeWav, encodeWav, type WavFormat } from '../../../wasm/host/index.ts';

let dir = '';
const path = (name: string) => join(dir, name);

/** Runs the compiled CLI (what `npx outboard` runs) as a process; resolves to its exit code and stderr. */
function cli(...args: string[]): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [cliBin(), ...args], { encoding: 'utf8' }, (error, _stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stderr });
    });
  });
}

function read(name: string) {
  const r = decodeWav(readFileSync(path(name)));
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

beforeAll(async () => {
  await buildWasm();
  dir = mkdtempSync(join(tmpdir(), 'outboard-cli-'));
  const n = 22050;
  const tone = (f: number) => Float32Array.from({ length: n }, (_, i) => 0.5 * Math.sin((2 * Math.PI * f * i) / 44100));
  writeFileSync(path('stereo.wav'), encodeWav({ sampleRate: 44100, channels: 2, bits: 16, float: false }, [tone(220), tone(5000)]));
  writeFileSync(path('mono.wav'), encodeWav({ sampleRate: 22050, channels: 1, bits: 24, float: false }, [tone(440)]));
  writeFileSync(path('broken.wav'), readFileSync(path('stereo.wav')).subarray(0, 1000));
  writeFileSync(path('notes.txt'), 'hello, these are notes and not audio at all');
  // A NaN past the first 8192-frame chunk, in the right channel: its place is named from the file's start.
  const poisoned = tone(220);
  poisoned[10_000] = NaN;
  writeFileSync(path('nan.wav'), encodeWav({ sampleRate: 44100, channels: 2, bits: 32, float: true }, [tone(220), poisoned]));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('outboard process', () => {
  it('runs a sox-style chain, keeping rate and channels, 32-bit float by default', async () => {
    const r = await cli('process', path('stereo.wav'), path('out.wav'), 'filter:mode=lowpass,cutoff=1000,q=0.707', 'gain:gain_db=-6');
    expect(r).toEqual({ code: 0, stderr: '' });
    const out = read('out.wav');
    expect(out.sampleRate).toBe(44100);
    expect(out.channels.length).toBe(2);
    expect(out.float).toBe(true);
    const peak = (x: Float32Array) => x.subarray(5000).reduce((m, v) => Math.max(m, Math.abs(v)), 0);
    // 220 Hz passes at -6 dB; 5 kHz is well into the lowpass's stopband.
    expect(peak(out.channels[0] as Float32Array)).toBeCloseTo(0.25, 2);
    expect(peak(out.channels[1] as Float32Array)).toBeLessThan(0.01);
  });

  it('takes choices by index, writes mono for mono and honours --bits', async () => {
    const r = await cli('process', path('mono.wav'), path('mono-out.wav'), 'filter:mode=1,cutoff=100', 'eq:mid1_gain=3', '--bits', '16');
    expect(r.code).toBe(0);
    const out = read('mono-out.wav');
    expect([out.sampleRate, out.channels.length, out.bitsPerSample, out.float]).toEqual([22050, 1, 16, false]);
  });

  /**
   * The file `process` must write: the whole input decoded, run through a
   * fresh engine block by block (mono averaged from both engine channels),
   * encoded in one piece. The command streams instead; the bytes must agree.
   */
  async function engineReference(input: string, specs: string[], format: Omit<WavFormat, 'sampleRate' | 'channels'>): Promise<Uint8Array> {
    const wav = read(input);
    const chain = parseChain(specs);
    if (!chain.ok) throw new Error(chain.error.message);
    const core = await loadEngine(wav.sampleRate);
    core.setTrackActive(0, true);
    core.setTrackSource(0, 'input');
    chain.value.forEach((step, i) => core.insertPlugin(0, i, step.type, step.params));
    core.reset();
    const [l, r = l] = wav.channels as [Float32Array, Float32Array?];
    const out = wav.channels.map(() => new Float32Array(l.length));
    for (let at = 0; at < l.length; at += core.blockSize) {
      const m = Math.min(core.blockSize, l.length - at);
      const [inL, inR] = core.input;
      inL.fill(0).set(l.subarray(at, at + m));
      inR.fill(0).set(r.subarray(at, at + m));
      core.process();
      const [oL, oR] = core.output;
      for (let i = 0; i < m; i++) {
        if (out.length === 1) (out[0] as Float32Array)[at + i] = ((oL[i] as number) + (oR[i] as number)) * 0.5;
        else { (out[0] as Float32Array)[at + i] = oL[i] as number; (out[1] as Float32Array)[at + i] = oR[i] as number; }
      }
    }
    return encodeWav({ ...format, sampleRate: wav.sampleRate, channels: out.length }, out);
  }

  it('writes exactly what the engine makes of the decoded input, across block and chunk edges, mono and stereo', async () => {
    // 22050 frames: not a whole number of 128-frame blocks, and more than one 8192-frame write.
    const chain = ['filter:mode=highpass,cutoff=80', 'filter:mode=notch,cutoff=1000,q=4', 'eq:mid1_gain=3', 'compressor'];
    expect((await cli('process', path('stereo.wav'), path('exact-stereo.wav'), ...chain)).code).toBe(0);
    expect(Buffer.from(readFileSync(path('exact-stereo.wav'))).equals(await engineReference('stereo.wav', chain, { bits: 32, float: true }))).toBe(true);
    expect((await cli('process', path('mono.wav'), path('exact-mono.wav'), ...chain, '--bits', '24')).code).toBe(0);
    expect(Buffer.from(readFileSync(path('exact-mono.wav'))).equals(await engineReference('mono.wav', chain, { bits: 24, float: false }))).toBe(true);
  });

  it('passes 16- and 24-bit samples through a unity chain bit for bit, as sox does', async () => {
    expect((await cli('process', path('stereo.wav'), path('same16.wav'), 'gain:gain_db=0', '--bits', '16')).code).toBe(0);
    expect(readFileSync(path('same16.wav')).equals(readFileSync(path('stereo.wav')))).toBe(true);
    expect((await cli('process', path('mono.wav'), path('same24.wav'), 'gain', '--bits', '24')).code).toBe(0);
    expect(readFileSync(path('same24.wav')).equals(readFileSync(path('mono.wav')))).toBe(true);
  });

  const failures: [string, string[], RegExp][] = [
    ['a missing input file', ['nope.wav', 'x.wav', 'gain'], /nope\.wav: no such file/],
    ['a file that is not a WAV', ['notes.txt', 'x.wav', 'gain'], /notes\.txt: not a usable WAV file: missing RIFF header/],
    ['a truncated WAV', ['broken.wav', 'x.wav', 'gain'], /broken\.wav: .*data chunk truncated/],
    ['a float WAV holding a NaN sample', ['nan.wav', 'x.wav', 'filter', 'reverb'], /INVALID_MESSAGE: .*nan\.wav: not a usable WAV file: the sample at 0\.227 s \(frame 10000\) is not a finite number \(NaN or infinity\)/],
    ['an unknown plugin', ['stereo.wav', 'x.wav', 'gain', 'flanger:rate=2'], /PLUGIN_NOT_FOUND: unknown plugin "flanger"/],
    ['an unknown param', ['stereo.wav', 'x.wav', 'filter:cutof=200'], /INVALID_PARAMETER: filter: unknown param "cutof" \(params: mode, cutoff, q\)/],
    ['an out-of-range param', ['stereo.wav', 'x.wav', 'filter:cutoff=50000'], /INVALID_PARAMETER: filter: cutoff=50000 is out of range; allowed: 20 \.\. 20000 Hz/],
    ['an unknown choice', ['stereo.wav', 'x.wav', 'filter:mode=lowshelf'], /mode=lowshelf is not one of the choices; allowed: lowpass \| highpass/],
    ['a choice index past the end', ['stereo.wav', 'x.wav', 'filter:mode=7'], /mode=7 is out of range/],
    ['a fraction for a whole-number param', ['stereo.wav', 'x.wav', 'synth:voices=2.5'], /INVALID_PARAMETER: synth: voices must be a whole number; allowed: 1\.\.16/],
    ['a value that is not a number', ['stereo.wav', 'x.wav', 'gain:gain_db=loud'], /gain_db=loud is not a number; allowed: -60 \.\. 24 dB/],
    ['a param given twice', ['stereo.wav', 'x.wav', 'filter:cutoff=100,q=2,cutoff=200'], /INVALID_PARAMETER: filter: param "cutoff" is given twice/],
    ['a value written in hex', ['stereo.wav', 'x.wav', 'gain:gain_db=0x10'], /gain_db=0x10 is not a number; allowed: -60 \.\. 24 dB/],
  ];
  for (const [what, args, message] of failures) {
    it(`refuses ${what}: non-zero exit, names the culprit, writes nothing`, async () => {
      const [input, output, ...chain] = args as [string, string, ...string[]];
      const r = await cli('process', path(input), path(output), ...chain);
      expect(r.code).not.toBe(0);
      expect(r.stderr).toMatch(message);
      expect(existsSync(path(output))).toBe(false);
    });
  }

  it('refuses a bad --bits with usage (exit 2)', async () => {
    const r = await cli('process', path('stereo.wav'), path('x.wav'), 'gain', '--bits', '8');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--bits must be 16, 24 or 32/);
  });

  it('refuses a misspelt option with usage (exit 2), naming it, instead of ignoring it', async () => {
    const r = await cli('process', path('stereo.wav'), path('x.wav'), 'gain', '--bit', '16');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown option --bit \(options: .*--bits/);
    expect(existsSync(path('x.wav'))).toBe(false);
  });

  it('refuses a chain where the output file should be, instead of writing the input to a file named after the plugin', () => {
    // As typed in a shell, from the folder holding the input.
    const r = spawnSync(process.execPath, [cliBin(), 'process', 'stereo.wav', 'gain:gain_db=-6'], { cwd: dir, encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/"gain:gain_db=-6" is a plugin, not an output file/);
    expect(readdirSync(dir).filter((f) => f.startsWith('gain'))).toEqual([]);
  });

  it('names the output it cannot write, not its temp file', async () => {
    const r = await cli('process', path('stereo.wav'), path(join('no-such-folder', 'x.wav')), 'gain');
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`outboard process: cannot write ${path(join('no-such-folder', 'x.wav'))}: no such folder\n`);
  });

  it('leaves no temp file behind', () => {
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('as a real process: exit code 1 and no output on error, 0 and a file on success', () => {
    const bin = cliBin();
    const bad = spawnSync(process.execPath, [bin, 'process', path('stereo.wav'), path('p.wav'), 'filter:q=99'], { encoding: 'utf8' });
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/q=99 is out of range; allowed: 0\.1 \.\. 20/);
    expect(existsSync(path('p.wav'))).toBe(false);
    const good = spawnSync(process.execPath, [bin, 'process', path('stereo.wav'), path('p.wav'), 'delay:time_ms=100'], { encoding: 'utf8' });
    expect(good.status).toBe(0);
    expect(read('p.wav').channels[0]?.length).toBe(22050);
  });
});

describe('outboard render', () => {
  const session = (chain: unknown[], extra: Record<string, unknown> = {}) => JSON.stringify({
    format: 'outboard.session/1', id: 's1', name: 'Song', tempo_bpm: 150,
    tracks: [{ id: 't1', name: 'Synth', chain }, { id: 'f1', name: 'Loop', source: { kind: 'file', sample_id: 'loop' }, chain: [] }],
    ...extra,
  });

  it('renders a session: 8 bars at the session tempo by default, stereo at 48 kHz', async () => {
    writeFileSync(path('song.json'), session([{ id: 'p1', type: 'synth' }, { id: 'p2', type: 'reverb' }]));
    const r = await cli('render', path('song.json'), path('song.wav'), '--sample', `loop=${path('mono.wav')}`);
    expect(r).toEqual({ code: 0, stderr: '' });
    const out = read('song.wav');
    expect(out.sampleRate).toBe(48000);
    expect(out.channels.length).toBe(2);
    expect(out.channels[0]?.length).toBe(Math.round(((8 * 4 * 60) / 150) * 48000));
    expect((out.channels[0] as Float32Array).reduce((m, v) => Math.max(m, Math.abs(v)), 0)).toBeGreaterThan(0.05);
  });

  it('renders bit-identical files twice (determinism end to end)', async () => {
    writeFileSync(path('det.json'), session([{ id: 'p1', type: 'synth' }, { id: 'p2', type: 'chorus' }, { id: 'p3', type: 'delay' }]));
    expect((await cli('render', path('det.json'), path('a.wav'), '--seconds', '2')).code).toBe(0);
    expect((await cli('render', path('det.json'), path('b.wav'), '--seconds', '2')).code).toBe(0);
    expect(readFileSync(path('a.wav')).equals(readFileSync(path('b.wav')))).toBe(true);
  });

  const failures: [string, string, RegExp][] = [
    ['an unknown plugin', session([{ id: 'p1', type: 'vocoder' }]), /PLUGIN_NOT_FOUND: .*"vocoder".*tracks\.0\.chain\.0\.type/],
    ['an out-of-range param', session([{ id: 'p1', type: 'synth', params: { cutoff: 1e6 } }]), /INVALID_PARAMETER: .*cutoff = 1000000 is out of range/],
    ['an unknown param', session([{ id: 'p1', type: 'delay', params: { tempo_sync: 1 } }]), /INVALID_PARAMETER: .*delay has no param "tempo_sync"/],
    ['a document that is not a session', '{"format":"something/else"}', /unsupported session format/],
    ['a file that is not JSON', 'tracks: []', /not valid JSON/],
  ];
  for (const [what, text, message] of failures) {
    it(`refuses ${what}: non-zero exit, names the culprit, writes nothing`, async () => {
      writeFileSync(path('bad.json'), text);
      const r = await cli('render', path('bad.json'), path('bad.wav'));
      expect(r.code).not.toBe(0);
      expect(r.stderr).toMatch(message);
      expect(existsSync(path('bad.wav'))).toBe(false);
    });
  }

  it('refuses a --rate that is not a whole number of Hz, with usage (exit 2), writing nothing', async () => {
    writeFileSync(path('rate.json'), session([{ id: 'p1', type: 'synth' }]));
    for (const rate of ['44100.5', '4000', 'fast']) {
      const r = await cli('render', path('rate.json'), path('rate.wav'), '--seconds', '0.1', '--rate', rate);
      expect(r.code, rate).toBe(2);
      expect(r.stderr).toMatch(`--rate must be a whole number from 8000 to 192000 (got "${rate}")`);
      expect(existsSync(path('rate.wav'))).toBe(false);
    }
  });

  it('refuses a bad --sample file with its reason', async () => {
    writeFileSync(path('song2.json'), session([]));
    const r = await cli('render', path('song2.json'), path('s2.wav'), '--sample', `loop=${path('notes.txt')}`);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/sample loop .*notes\.txt.*missing RIFF header/);
    expect(existsSync(path('s2.wav'))).toBe(false);
  });
});
