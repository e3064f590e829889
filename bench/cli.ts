/**
 * The CLI as a user meets it, whole processes timed (part of `outboard bench
 * dsp`): its start-up (`outboard --version`), and `outboard process` against
 * sox on a ten-biquad chain over a 120 s file, both through the compiled bin
 * and through `npx outboard`, the README's command, npm's own start-up included.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { cliBin, PACKAGE_ROOT } from '../server/package-info.ts';
import { encodeWavFrames, wavHeader } from '../wasm/host/index.ts';
import { referenceSources } from './app/reference-sources.ts';
import { printTable, ratio } from './table.ts';

/** `outboard --version` must answer within this (issue 10). */
export const START_TARGET_MS = 150;

const FS = 48000;
/** Length of the file `process` and sox run over. */
const FILE_SECONDS = 120;

/** The ten-biquad chain, as `outboard process` steps and the sox effects that match them (bench batch runs it too). */
export const CHAIN: readonly (readonly [string, string])[] = [
  ['filter:mode=highpass,cutoff=30', 'highpass 30 0.707q'],
  ['filter:mode=lowpass,cutoff=18000', 'lowpass 18000 0.707q'],
  ['filter:mode=notch,cutoff=60,q=10', 'bandreject 60 10q'],
  ['filter:mode=notch,cutoff=120,q=10', 'bandreject 120 10q'],
  ['filter:mode=allpass,cutoff=1000', 'allpass 1000 0.707q'],
  ['filter:mode=bandpass,cutoff=1000,q=0.3', 'bandpass 1000 0.3q'],
  ['filter:mode=lowpass,cutoff=12000,q=0.5', 'lowpass 12000 0.5q'],
  ['filter:mode=highpass,cutoff=80,q=0.5', 'highpass 80 0.5q'],
  ['filter:mode=allpass,cutoff=3000', 'allpass 3000 0.707q'],
  ['filter:mode=notch,cutoff=8000,q=4', 'bandreject 8000 4q'],
];

/** Writes a stereo 16-bit test file (the reference session's first loop, repeated), streaming. */
export function writeTestFile(path: string, seconds: number): void {
  const format = { sampleRate: FS, channels: 2, bits: 16 as const, float: false };
  const frames = seconds * FS;
  const [l, r] = referenceSources(1, FS)[0] as [Float32Array, Float32Array];
  const parts: Uint8Array[] = [wavHeader(format, frames)];
  for (let start = 0; start < frames; start += l.length) parts.push(encodeWavFrames(format, [l, r], 0, Math.min(l.length, frames - start)));
  writeFileSync(path, Buffer.concat(parts));
}

/** Best wall and CPU (user + sys) seconds of a whole child process, `runs` times, run in `cwd` (default: the package root, where `npx outboard` resolves). */
export function timeProcess(command: string, args: string[], runs: number, cwd = PACKAGE_ROOT): { wall: number; cpu: number } {
  let wall = Infinity, cpu = Infinity;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    // bash's `times` reports the children's user and system time on its second line.
    const result = spawnSync('bash', ['-c', '"$@" >/dev/null || exit 1; times', 'bench', command, ...args], { encoding: 'utf8', cwd });
    const elapsed = (performance.now() - t0) / 1000;
    if (result.status !== 0) throw new Error(`${command} failed: ${result.stderr}`);
    const [user, sys] = (result.stdout.trim().split('\n')[1] ?? '').split(/\s+/).map((t) => {
      const m = /(\d+)m([\d.]+)s/.exec(t);
      return m ? Number(m[1]) * 60 + Number(m[2]) : NaN;
    });
    wall = Math.min(wall, elapsed);
    cpu = Math.min(cpu, (user ?? NaN) + (sys ?? NaN));
  }
  return { wall, cpu };
}

/**
 * npx's own floor: `npx` running a package that is a one-line bin and
 * nothing else (no dependencies, no node_modules), timed in its directory.
 * npx resolves a local package's bin the same way for it as for ours, so
 * this is what npm costs before any package's code can run.
 */
function npxFloor(runs: number): { wall: number; cpu: number } {
  // A fixed path: npx keeps one cache entry per package directory, so every run reuses the same one.
  const dir = join(tmpdir(), 'outboard-npx-floor');
  mkdirSync(dir, { recursive: true });
  try {
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'npx-floor', version: '1.0.0', bin: { 'npx-floor': 'bin.js' } }));
    writeFileSync(join(dir, 'bin.js'), '#!/usr/bin/env node\n', { mode: 0o755 });
    timeProcess('npx', ['--no-install', 'npx-floor'], 1, dir); // the first run links it into npm's npx cache
    return timeProcess('npx', ['--no-install', 'npx-floor'], runs, dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Whether npm trusts node_modules/.package-lock.json in the package root.
 * When it does not (something in node_modules is newer than it), npx reads
 * every package.json in the tree before running `outboard`.
 */
function npmTrustsHiddenLockfile(): boolean {
  const result = spawnSync('npx', ['--no-install', '--loglevel', 'verbose', 'outboard', '--version'], { encoding: 'utf8', cwd: PACKAGE_ROOT });
  // npx's own cache directory fails the same check for a path outside it (../…): that one is not ours to fix.
  return !/shrinkwrap failed to load node_modules\/\.package-lock\.json [^:]+: (?!\.\.\/)/.test(result.stderr);
}

/** What npx costs before `outboard` runs, in seconds: wall time, and CPU (steadier on a busy machine). */
export interface NpxStart {
  readonly binMs: number;
  /** npx's share of `npx outboard --version`: its wall time minus the bin's. */
  readonly npxOverhead: number;
  readonly npxCpu: number;
  /** npx running an empty package (see {@link npxFloor}), minus `node -e 0`. */
  readonly floorOverhead: number;
  readonly floorCpu: number;
}

/** Prints the start-up table; returns the bin's best wall time in ms and npx's share. */
export function cliStartBench(runs: number): NpxStart {
  const bin = timeProcess(process.execPath, [cliBin(), '--version'], runs);
  const npx = timeProcess('npx', ['--no-install', 'outboard', '--version'], runs);
  const floor = npxFloor(runs);
  const node = timeProcess(process.execPath, ['-e', '0'], runs);
  const trusted = npmTrustsHiddenLockfile();
  const ms = (s: number) => s * 1000;
  printTable(`CLI start: \`outboard --version\`, whole process, best of ${runs} (target: the bin < ${START_TARGET_MS} ms)`,
    ['how', 'wall ms', 'cpu ms'],
    [
      ['node build/cli/bin/outboard.js (the installed bin, compiled)', ms(bin.wall), ms(bin.cpu)],
      [`npx outboard (npm resolving the package's bin first; hidden lockfile ${trusted ? 'trusted' : 'STALE: npm re-reads node_modules'})`, ms(npx.wall), ms(npx.cpu)],
      ['npx of an empty package (a one-line bin, no dependencies: npx\'s own floor)', ms(floor.wall), ms(floor.cpu)],
      ['node -e 0 (Node\'s own start, the floor)', ms(node.wall), ms(node.cpu)],
    ]);
  return {
    binMs: ms(bin.wall),
    npxOverhead: npx.wall - bin.wall, npxCpu: npx.cpu - bin.cpu,
    floorOverhead: floor.wall - node.wall, floorCpu: floor.cpu - node.cpu,
  };
}

/**
 * A project that depends on outboard, as `npm install <this checkout>` lays
 * it out: node_modules/outboard a link to the package, its bin linked into
 * node_modules/.bin. There `npx outboard` finds the bin in node_modules/.bin
 * and runs it; in the checkout itself, the root package's own `bin` sends npx
 * through its install path first (Arborist loading the checkout's whole tree,
 * once as the local tree and once through the npx cache's link to it).
 */
function dependentProject(dir: string): string {
  const project = join(dir, 'project');
  mkdirSync(join(project, 'node_modules', '.bin'), { recursive: true });
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'uses-outboard', private: true, dependencies: { outboard: `file:${PACKAGE_ROOT}` } }));
  symlinkSync(relative(join(project, 'node_modules'), PACKAGE_ROOT), join(project, 'node_modules', 'outboard'));
  symlinkSync(join('..', 'outboard', relative(PACKAGE_ROOT, cliBin())), join(project, 'node_modules', '.bin', 'outboard'));
  return project;
}

/** Prints `outboard process` against sox, with what npx leaves for the work; null when sox is not installed. */
export function soxBench(runs: number, start: NpxStart): { npxVsSox: number; npxDependentVsSox: number; binVsSox: number } | null {
  if (spawnSync('sox', ['--version']).status !== 0) return null;
  const dir = mkdtempSync(join(tmpdir(), 'outboard-bench-'));
  try {
    const input = join(dir, 'in.wav');
    writeTestFile(input, FILE_SECONDS);
    const args = ['process', input, join(dir, 'ours.wav'), ...CHAIN.map(([o]) => o)];
    const ours = timeProcess(process.execPath, [cliBin(), ...args], runs);
    const npx = timeProcess('npx', ['--no-install', 'outboard', ...args], runs);
    const npxDependent = timeProcess('npx', ['--no-install', 'outboard', ...args], runs, dependentProject(dir));
    const sox = timeProcess('sox', [input, '-e', 'floating-point', '-b', '32', join(dir, 'sox.wav'), ...CHAIN.flatMap(([, s]) => s.split(' '))], runs);
    const row = (what: string, t: { wall: number; cpu: number }) =>
      [what, t.wall.toFixed(2), t.cpu.toFixed(2), (FILE_SECONDS / t.wall).toFixed(0), ratio(sox.wall / t.wall)];
    printTable(`DSP: ten-biquad stereo chain over a ${FILE_SECONDS} s 48 kHz 16-bit file to 32-bit float (best of ${runs})`,
      ['tool', 'wall s', 'cpu s', 'realtime x', 'vs sox (wall)'],
      [
        row('npx outboard process (the README\'s command, npx start-up included), in this checkout', npx),
        row('npx outboard process in a project that depends on outboard (npx runs node_modules/.bin/outboard)', npxDependent),
        row('outboard process (the installed bin, compiled)', ours),
        row('sox (whole process)', sox),
      ]);
    const ms = (s: number) => `${(s * 1000).toFixed(0)} ms`;
    process.stdout.write(`npx before our code runs: ${ms(start.npxOverhead)} wall, ${ms(start.npxCpu)} CPU here; `
      + `${ms(start.floorOverhead)} wall, ${ms(start.floorCpu)} CPU for an empty package (npx's floor).\n`
      + `To beat sox through npx, Node's start + reading, processing and writing the file must fit in ${ms(sox.wall - start.npxOverhead)} `
      + `(${ms(sox.wall - start.floorOverhead)} at npx's floor); the bin takes ${ms(ours.wall)} wall, ${ms(ours.cpu)} CPU; sox's whole job is ${ms(sox.cpu)} CPU.\n`);
    return { npxVsSox: sox.wall / npx.wall, npxDependentVsSox: sox.wall / npxDependent.wall, binVsSox: sox.wall / ours.wall };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
