import type { OutboardError } from '../../src/protocol/errors.ts';
import type { WavBits } from '../../wasm/host/index.ts';
import { parseChain } from './chain-spec.ts';
import type { Command } from './command.ts';
import { parseArgs, UsageError } from './command.ts';
import { loadEngine } from './engine-file.ts';
import { processFile } from './process-file.ts';

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

/** `outboard process IN OUT TYPE[:param=value,...] ...`: a plugin chain over a WAV file, sox-style. */
export const processCommand: Command = {
  async run(args) {
    const { positional, flags } = parseArgs(args, ['int']);
    const [input, output, ...specs] = positional;
    if (!input || !output) throw new UsageError('needs an input and an output file');
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
