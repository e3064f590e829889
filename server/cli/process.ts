import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { text as streamText } from 'node:stream/consumers';
import { getPlugin } from '../../src/plugins/index.ts';
import { outboardError, type OutboardError } from '../../src/protocol/errors.ts';
import type { WavBits } from '../../wasm/host/index.ts';
import { parseChain } from './chain-spec.ts';
import type { Command } from './command.ts';
import { parseArgs, UsageError } from './command.ts';
import { loadEngine } from './engine-file.ts';
import { processFile, readFailure } from './process-file.ts';

/** Prints a typed error the way every CLI command does; returns the exit code. */
export function reportError(command: string, error: OutboardError): number {
  process.stderr.write(`outboard ${command}: ${error.code}: ${error.message}\n`);
  return 1;
}

/** Parses `--bits`: 16, 24 or 32 (32 is float unless `--int`). */
export function parseBits(flags: Map<string, string | true>): WavBits {
  const raw = flags.get('bits') ?? '32';
  if (raw !== '16' && raw !== '24' && raw !== '32') throw new UsageError(`--bits must be 16, 24 or 32 (got "${String(raw)}")`);
  return Number(raw) as WavBits;
}

/** Input paths from `--from FILE` (`-`: stdin, e.g. from `find`): one per line; blank lines and `#` comments skipped. */
async function readList(path: string): Promise<string[]> {
  let text: string;
  try {
    text = path === '-' ? await streamText(process.stdin) : await readFile(path, 'utf8');
  } catch (error) {
    throw new UsageError(`--from: ${readFailure(path, error)}`);
  }
  return text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));
}

/** Whether an argument starts with a catalog plugin's id (`gain`, `gain:gain_db=-6`). */
const namesPlugin = (arg: string): boolean => getPlugin(arg.split(':', 1)[0] as string) !== undefined;

/**
 * An input argument that is no file and is shaped like a chain step
 * (`gian:gain_db=3`, `compresor`): a misspelt plugin, which would otherwise be
 * read as a missing file while the other inputs ran through a shorter chain.
 */
function misspeltPlugin(inputs: readonly string[]): OutboardError | undefined {
  const arg = inputs.find((a) => /^[A-Za-z_][\w-]*(:[^/\\]*)?$/.test(a) && !/\.wav$/i.test(a) && !existsSync(a));
  if (arg === undefined) return undefined;
  const chain = parseChain([arg]);
  return chain.ok ? undefined : outboardError(chain.error.code, `${chain.error.message}; no input file by that name either`, chain.error.field);
}

/** `process IN... --out-dir DIR CHAIN...`: the chain starts at the first argument naming a catalog plugin. */
async function runBatch(positional: string[], flags: Map<string, string | true>): Promise<number> {
  const outDir = flags.get('out-dir');
  if (typeof outDir !== 'string') throw new UsageError('--out-dir DIR is needed with several inputs or --from');
  const first = positional.findIndex(namesPlugin);
  const chainAt = first < 0 ? positional.length : first;
  const misspelt = misspeltPlugin(positional.slice(0, chainAt));
  if (misspelt) return reportError('process', misspelt);
  const from = flags.get('from');
  const inputs = [...(typeof from === 'string' ? await readList(from) : []), ...positional.slice(0, chainAt)];
  const bits = parseBits(flags);
  const int = flags.has('int');
  // Loaded here, not at the top: the single-file command never starts a worker pool.
  const [{ parseJobs, runBatchCommand }, { processFiles }] = await Promise.all([import('./batch-command.ts'), import('./process-batch.ts')]);
  return runBatchCommand('process', { quiet: flags.has('quiet'), jobs: parseJobs(flags), failFast: flags.has('fail-fast') },
    (batch) => processFiles({ ...batch, inputs, outDir, chain: positional.slice(chainAt), bits, int }));
}

/** `outboard process IN OUT TYPE[:param=value,...] ...`: a plugin chain over a WAV file (or many), sox-style. */
export const processCommand: Command = {
  async run(args) {
    const { positional, flags } = parseArgs(args, ['int', 'quiet', 'fail-fast'], ['bits', 'out-dir', 'from', 'jobs']);
    if (flags.has('out-dir') || flags.has('from')) return runBatch(positional, flags);
    const [input, output, ...specs] = positional;
    if (!input || !output) throw new UsageError('needs an input and an output file');
    // `process in.wav gain:gain_db=-6` would write the input, unprocessed, to a file named after the plugin.
    if (namesPlugin(output) && !existsSync(output)) throw new UsageError(`"${output}" is a plugin, not an output file: IN.wav OUT.wav CHAIN...`);
    // `process in/*.wav gain` without --out-dir: the third file would be read as a plugin.
    if (specs[0]?.toLowerCase().endsWith('.wav')) throw new UsageError('several input files need --out-dir DIR');
    const bits = parseBits(flags);
    const chain = parseChain(specs);
    if (!chain.ok) return reportError('process', chain.error);
    const outcome = await processFile(loadEngine, { input, output, chain: chain.value, bits, int: flags.has('int') });
    if (!outcome.ok) {
      process.stderr.write(`outboard process: ${outcome.reason}\n`);
      return 1;
    }
    return 0;
  },
};
