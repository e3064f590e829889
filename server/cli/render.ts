import type { WavFormat } from '../../wasm/host/index.ts';
import type { Command } from './command.ts';
import { parseArgs, takeRepeated, UsageError } from './command.ts';
import { loadEngine } from './engine-file.ts';
import { parseBits, reportError } from './process.ts';
import { parseJobs, runBatchCommand } from './batch-command.ts';
import { renderSweep } from './render-sweep.ts';
import { defaultSeconds, loadSamples, readSession, SessionRenderer } from './render-file.ts';

/** `--sample ID=PATH` flags (the flag may repeat) as a map. */
function takeSamples(args: string[]): { rest: string[]; samples: Map<string, string> } {
  const { rest, values } = takeRepeated(args, 'sample');
  const samples = new Map<string, string>();
  for (const spec of values) {
    const eq = spec.indexOf('=');
    if (eq <= 0) throw new UsageError('--sample needs ID=FILE.wav');
    samples.set(spec.slice(0, eq), spec.slice(eq + 1));
  }
  return { rest, samples };
}

/** A `--name N` number in (0, max], or `fallback` when absent. */
export function positiveNumber(flags: Map<string, string | true>, name: string, fallback: number, max: number): number {
  const raw = flags.get(name);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (raw === true || !Number.isFinite(value) || value <= 0 || value > max) throw new UsageError(`--${name} must be a number in (0, ${max}]`);
  return value;
}

/** `--rate HZ`: a whole number of Hz (a fraction was rounded and written to the header as another rate), 48000 when absent. */
function parseRate(flags: Map<string, string | true>): number {
  const raw = flags.get('rate');
  if (raw === undefined) return 48000;
  const rate = Number(raw);
  if (raw === true || !Number.isInteger(rate) || rate < 8000 || rate > 192000) throw new UsageError(`--rate must be a whole number from 8000 to 192000 (got "${String(raw)}")`);
  return rate;
}

/** A whole number flag, or undefined when absent. */
function wholeNumber(flags: Map<string, string | true>, name: string): number | undefined {
  const raw = flags.get(name);
  if (raw === undefined) return undefined;
  if (raw === true || !/^\d+$/.test(raw)) throw new UsageError(`--${name} must be a whole number (got "${String(raw)}")`);
  return Number(raw);
}

/** `render SESSION.json DIR --vary ... [--grid | --random N --seed S]`: a sweep on the worker pool. */
async function runSweep(positional: string[], flags: Map<string, string | true>, vary: string[], samples: Map<string, string>): Promise<number> {
  const [session, outDir, extra] = positional;
  if (!session || !outDir) throw new UsageError('a sweep needs a session file and an output folder');
  if (extra !== undefined) throw new UsageError(`unexpected argument "${extra}"`);
  if (flags.has('seed') && !flags.has('random')) throw new UsageError('--seed goes with --random N');
  const bits = parseBits(flags);
  const options = {
    session,
    outDir,
    vary,
    grid: flags.has('grid'),
    random: wholeNumber(flags, 'random'),
    seed: wholeNumber(flags, 'seed'),
    seconds: flags.has('seconds') ? positiveNumber(flags, 'seconds', 0, 3600) : undefined,
    rate: parseRate(flags),
    bits,
    int: flags.has('int'),
    samples: Object.fromEntries(samples),
    csv: flags.has('csv'),
    name: typeof flags.get('name') === 'string' ? (flags.get('name') as string) : undefined,
  };
  return runBatchCommand('render', { quiet: flags.has('quiet'), jobs: parseJobs(flags), failFast: flags.has('fail-fast') },
    (batch) => renderSweep({ ...options, ...batch }));
}

/** `outboard render SESSION.json OUT.wav [--seconds N]`: renders a saved session document offline (or sweeps its params). */
export const renderCommand: Command = {
  async run(args) {
    const { rest: afterSamples, samples: sampleFiles } = takeSamples(args);
    const { rest, values: vary } = takeRepeated(afterSamples, 'vary');
    const { positional, flags } = parseArgs(rest, ['int', 'grid', 'csv', 'quiet', 'fail-fast'], ['seconds', 'rate', 'bits', 'random', 'seed', 'name', 'jobs']);
    if (vary.length > 0 || flags.has('random')) return runSweep(positional, flags, vary, sampleFiles);
    const [input, output, extra] = positional;
    if (!input || !output) throw new UsageError('needs a session file and an output file');
    if (extra !== undefined) throw new UsageError(`unexpected argument "${extra}"`);
    const bits = parseBits(flags);
    const rate = parseRate(flags);
    const parsed = await readSession(input);
    if (!parsed.ok) return reportError('render', parsed.error);
    const doc = parsed.value;
    const seconds = positiveNumber(flags, 'seconds', defaultSeconds(doc), 3600);
    const loaded = await loadSamples(doc, sampleFiles);
    if (!loaded.ok) return reportError('render', loaded.error);
    for (const id of loaded.value.silent) process.stderr.write(`outboard render: warning: no --sample for "${id}"; that track is silent\n`);
    const samples = loaded.value.samples;
    const renderer = new SessionRenderer(await loadEngine(rate));
    renderer.load(doc, samples);
    const format: WavFormat = { sampleRate: rate, channels: 2, bits, float: bits === 32 && !flags.has('int') };
    renderer.render(output, Math.round(seconds * rate), format);
    return 0;
  },
};
