import { rmSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { pathToFileURL } from 'node:url';
import type { OutboardError } from '../../src/protocol/errors.ts';
import { fromPackageRoot } from '../package-info.ts';
import { tempPathFor } from './atomic-write.ts';
import type { BatchJob } from './batch-worker.ts';
import { UsageError } from './command.ts';
import { engineMissing } from './engine-file.ts';
import type { FileOutcome } from './process-file.ts';
import { runPool } from './pool.ts';

/**
 * The worker module: the compiled .js beside this file (tsconfig.cli.json lists
 * batch-worker.ts so tsc emits it). Run from source (vitest, tsx), this file is
 * .ts but the workers still load the compiled worker from build/cli: Node 20's
 * worker threads cannot load TypeScript (tsx's hooks stay on the main thread),
 * and build-cli keeps that copy fresh wherever tests run.
 */
const WORKER = import.meta.url.endsWith('.ts')
  ? pathToFileURL(fromPackageRoot('build', 'cli', 'server', 'cli', 'batch-worker.js'))
  : new URL('./batch-worker.js', import.meta.url);

/** One file of a batch, once it finished or failed. */
export interface FileReport {
  /** Position in the batch (0-based), so reports can be put back in order. */
  readonly index: number;
  readonly output: string;
  readonly ok: boolean;
  /** Why it failed, naming the file; absent when written. */
  readonly reason?: string;
  /** Length of the audio written (0 when it failed). */
  readonly audioSeconds: number;
}

/** What a batch did: every finished file in batch order, the totals, and whether it was cut short. */
export interface BatchReport {
  /** Files in the batch. */
  readonly total: number;
  /** The files that finished (written or failed), in batch order. */
  readonly files: readonly FileReport[];
  readonly written: number;
  readonly failed: number;
  readonly audioSeconds: number;
  readonly wallSeconds: number;
  /** True when the signal aborted it or `failFast` stopped it before every file ran. */
  readonly stopped: boolean;
}

/** Options every batch takes: the library's and the CLI's. */
export interface BatchOptions {
  /** Worker threads; default: every core. */
  readonly jobs?: number;
  /** Stop starting files at the first failure (files already running finish). */
  readonly failFast?: boolean;
  /** Aborting stops the workers at once and removes the partial outputs. */
  readonly signal?: AbortSignal;
  /** Called as each file finishes, with the totals so far. */
  readonly onFile?: (file: FileReport, soFar: { done: number; total: number; audioSeconds: number; elapsedSeconds: number }) => void;
}

/** The default `--jobs`: the cores Node may use. */
export const defaultJobs = (): number => availableParallelism();

/** A worker count the CLI and the library accept: a whole number from 1 to 256. */
export const isJobCount = (n: number): boolean => Number.isInteger(n) && n >= 1 && n <= 256;

/**
 * Refuses bad `jobs` and `bits` by name, and a missing engine, before any file
 * runs (a NaN `jobs` would start no worker and never settle; other `bits`, or
 * no engine, fail every file, each with the same error).
 */
export function checkBatchOptions(options: BatchOptions, bits: number): void {
  if (options.jobs !== undefined && !isJobCount(options.jobs)) throw new UsageError(`jobs must be a whole number from 1 to 256 (got ${String(options.jobs)})`);
  if (![16, 24, 32].includes(bits)) throw new UsageError(`bits must be 16, 24 or 32 (got ${String(bits)})`);
  const missing = engineMissing();
  if (missing) throw new BatchRefused(missing);
}

/** Runs prepared jobs on the worker pool and reports on them. */
export async function runBatch(jobs: readonly BatchJob[], options: BatchOptions): Promise<BatchReport> {
  const started = performance.now();
  const startedAt = Date.now();
  const files: FileReport[] = [];
  let audioSeconds = 0;
  let stoppedEarly = false;
  await runPool<BatchJob, FileOutcome>({
    worker: WORKER,
    size: options.jobs ?? defaultJobs(),
    jobs,
    signal: options.signal,
    crashed: (job, error) => ({ ok: false, reason: `${job.output}: the worker failed: ${error.message}` }),
    done(index, outcome) {
      const output = (jobs[index] as BatchJob).output;
      const file: FileReport = outcome.ok
        ? { index, output, ok: true, audioSeconds: outcome.audioSeconds }
        : { index, output, ok: false, reason: outcome.reason, audioSeconds: 0 };
      files.push(file);
      audioSeconds += file.audioSeconds;
      options.onFile?.(file, { done: files.length, total: jobs.length, audioSeconds, elapsedSeconds: (performance.now() - started) / 1000 });
      if (!file.ok && options.failFast) stoppedEarly = true;
      return !stoppedEarly;
    },
    abandoned(ids) {
      for (const id of ids) {
        const output = (jobs[id] as BatchJob).output;
        rmSync(tempPathFor(output), { force: true });
        // A file finished in the instant of the abort, its report not yet received: removed
        // too, so what is on disk is what the report names. A file from before the batch stays.
        if ((statSync(output, { throwIfNoEntry: false })?.mtimeMs ?? 0) >= startedAt) rmSync(output, { force: true });
      }
    },
  });
  files.sort((a, b) => a.index - b.index);
  const written = files.filter((f) => f.ok).length;
  return {
    total: jobs.length,
    files,
    written,
    failed: files.length - written,
    audioSeconds,
    wallSeconds: (performance.now() - started) / 1000,
    stopped: files.length < jobs.length,
  };
}

/** A batch refused before any file ran, for a typed reason (a code from src/protocol/errors.ts). */
export class BatchRefused extends Error {
  override readonly name = 'BatchRefused';
  readonly code: OutboardError['code'];

  constructor(readonly error: OutboardError) {
    super(`${error.code}: ${error.message}`);
    this.code = error.code;
  }
}
