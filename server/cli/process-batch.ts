import { basename, join, resolve } from 'node:path';
import type { WavBits } from '../../wasm/host/index.ts';
import { makeOutputFolder } from './atomic-write.ts';
import { BatchRefused, checkBatchOptions, runBatch, type BatchOptions, type BatchReport } from './batch.ts';
import type { BatchJob } from './batch-worker.ts';
import { parseChain } from './chain-spec.ts';
import { UsageError } from './command.ts';

/** What {@link processFiles} runs: the library's form of `outboard process IN... --out-dir DIR CHAIN...`. */
export interface ProcessFilesOptions extends BatchOptions {
  /** WAV files to process; each output keeps its input's name (so two inputs may not share one). */
  readonly inputs: readonly string[];
  /** Where the outputs go; created when missing. */
  readonly outDir: string;
  /** The chain, sox-style as on the command line: `['filter:mode=lowpass,cutoff=1000', 'gain:gain_db=-6']`. */
  readonly chain: readonly string[];
  /** 16, 24 or 32 (default); 32 is float unless `int`. */
  readonly bits?: WavBits;
  readonly int?: boolean;
}

/**
 * Runs a plugin chain over many WAV files on a pool of worker threads, each
 * output at its input's rate and channels, written atomically. A file that
 * fails is reported and the others go on. Throws {@link BatchRefused} for a
 * bad chain and {@link UsageError} for bad options, before any file runs.
 */
export async function processFiles(options: ProcessFilesOptions): Promise<BatchReport> {
  const chain = parseChain(options.chain);
  if (!chain.ok) throw new BatchRefused(chain.error);
  if (options.inputs.length === 0) throw new UsageError('no input files');
  const bits = options.bits ?? 32;
  checkBatchOptions(options, bits);
  const byName = new Map<string, string>();
  const jobs: BatchJob[] = options.inputs.map((input) => {
    const name = basename(input);
    const other = byName.get(name);
    if (other !== undefined) throw new UsageError(`${other} and ${input} would both be written to ${name} in the output folder`);
    byName.set(name, input);
    const output = join(options.outDir, name);
    if (resolve(output) === resolve(input)) throw new UsageError(`${input} would be overwritten: choose an --out-dir other than its folder`);
    return { kind: 'process', input, output, chain: chain.value, bits, int: options.int ?? false };
  });
  makeOutputFolder(options.outDir);
  return runBatch(jobs, options);
}
