/**
 * `outboard bench batch` (issue 14): many files and sweeps on every core.
 * - `outboard process IN... --out-dir` over 200 stereo 10 s 48 kHz files
 *   through the ten-biquad chain of `bench dsp`, the whole command's wall
 *   time, against sox on the same files run through `xargs -P <cores>` (what
 *   people write today); target: at least 1.5x faster.
 * - `outboard render SESSION DIR --vary ...`: 4 s renders of a synth track's
 *   session, per second, at `--jobs 1` and at every core.
 * `--files=N`, `--renders=N` and `--runs=N` size it (`--quick`: 20 files, 20 renders, one run).
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { cliBin } from '../server/package-info.ts';
import { CHAIN, timeProcess, writeTestFile } from './cli.ts';
import { printTable, ratio } from './table.ts';

const FILE_SECONDS = 10;
const RENDER_SECONDS = 4;
const TARGET = 1.5;

/** A synth track (the instrument playing its default pattern) through a filter, a delay and a reverb. */
const SYNTH_SESSION = {
  format: 'outboard.session/1', id: 'bench-synth', name: 'Synth sweep', tempo_bpm: 120,
  tracks: [{
    id: 'lead', name: 'Lead',
    chain: [
      { id: 'osc', type: 'synth', params: { waveform: 0, cutoff: 2000, resonance: 0.4 } },
      { id: 'flt', type: 'filter', params: { mode: 0, cutoff: 6000 } },
      { id: 'dly', type: 'delay', params: { time_ms: 375, feedback: 0.35, mix: 0.25 } },
      { id: 'rv', type: 'reverb', params: { mix: 0.2 } },
    ],
  }],
};

/** `--name=N` as a positive whole number, or `fallback`. */
function option(args: string[], name: string, fallback: number): number {
  const raw = args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
  const n = Number(raw);
  return raw !== undefined && Number.isInteger(n) && n > 0 ? n : fallback;
}

type Timing = { wall: number; cpu: number };

/**
 * The best of `runs` of each of two commands, run in turn (a, b, a, b...):
 * on a shared machine a change of load then hits both alike.
 */
function alternating(runs: number, a: () => Timing, b: () => Timing): [Timing, Timing] {
  const best: [Timing, Timing] = [{ wall: Infinity, cpu: Infinity }, { wall: Infinity, cpu: Infinity }];
  for (let i = 0; i < runs; i++) {
    [a(), b()].forEach((t, k) => {
      const kept = best[k] as Timing;
      best[k] = { wall: Math.min(kept.wall, t.wall), cpu: Math.min(kept.cpu, t.cpu) };
    });
  }
  return best;
}

/** Runs the batch suite. */
export async function run(args: string[]): Promise<void> {
  const quick = args.includes('--quick');
  const files = option(args, 'files', quick ? 20 : 200);
  const renders = option(args, 'renders', quick ? 20 : 200);
  const runs = option(args, 'runs', quick ? 1 : 3);
  const cores = availableParallelism();
  const dir = mkdtempSync(join(tmpdir(), 'outboard-bench-batch-'));
  try {
    // One file on disk under every name: both tools read it from the page cache alike.
    writeTestFile(join(dir, 'source.wav'), FILE_SECONDS);
    mkdirSync(join(dir, 'in'));
    const names = Array.from({ length: files }, (_, i) => `f${String(i).padStart(4, '0')}.wav`);
    for (const n of names) symlinkSync(join(dir, 'source.wav'), join(dir, 'in', n));
    mkdirSync(join(dir, 'sox'));
    const soxEffects = CHAIN.map(([, s]) => s).join(' ');
    const [ours, sox] = alternating(runs,
      () => timeProcess(process.execPath, [cliBin(), 'process', ...names.map((n) => join(dir, 'in', n)), '--out-dir', join(dir, 'ours'),
        '--jobs', String(cores), '--quiet', ...CHAIN.map(([o]) => o)], 1),
      () => timeProcess('bash', ['-c', `cd "${join(dir, 'in')}" && printf '%s\\n' *.wav | xargs -P ${cores} -I{} sox {} -e floating-point -b 32 ../sox/{} ${soxEffects}`], 1));
    const audio = files * FILE_SECONDS;
    const row = (what: string, t: Timing) => [what, t.wall, t.cpu, audio / t.wall, ratio(sox.wall / t.wall)];
    printTable(`Batch: ${files} stereo ${FILE_SECONDS} s 48 kHz 16-bit files through the ten-biquad chain to 32-bit float, ${cores} cores, whole command (best of ${runs}, the two alternating)`,
      ['tool', 'wall s', 'cpu s', 'audio s per s', 'vs sox (wall)'],
      [
        row(`outboard process IN... --out-dir DIR --jobs ${cores}`, ours),
        row(`sox through xargs -P ${cores} (one process per file)`, sox),
      ]);

    writeFileSync(join(dir, 'synth.json'), JSON.stringify(SYNTH_SESSION));
    const sweep = (jobs: number) => () => timeProcess(process.execPath, [cliBin(), 'render', join(dir, 'synth.json'), join(dir, `sweep-${jobs}`),
      '--grid', '--vary', `lead/osc/cutoff=100..12000:${Math.ceil(renders / 4)}`, '--vary', 'lead/osc/waveform=0..3:4',
      '--seconds', String(RENDER_SECONDS), '--jobs', String(jobs), '--quiet'], 1);
    const count = Math.ceil(renders / 4) * 4;
    const [one, all] = alternating(runs, sweep(1), sweep(cores));
    const sweepRow = (jobs: number, t: Timing) => [`--jobs ${jobs}`, t.wall, t.cpu, count / t.wall, (count * RENDER_SECONDS) / t.wall, ratio(one.wall / t.wall)];
    printTable(`Sweep: ${count} renders of ${RENDER_SECONDS} s (synth + filter + delay + reverb, 48 kHz, 32-bit float), whole command (best of ${runs}, alternating; cpu s near wall s x jobs means every core was ours)`,
      ['jobs', 'wall s', 'cpu s', 'renders per s', 'audio s per s', 'vs --jobs 1'],
      [sweepRow(1, one), sweepRow(cores, all)]);
    const x = sox.wall / ours.wall;
    process.stdout.write(`\nTargets: batch process >= ${TARGET}x faster than sox through xargs -P ${cores}: ${x >= TARGET ? 'met' : 'NOT met'} (${ratio(x)})\n`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
