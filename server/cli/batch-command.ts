import { defaultJobs, isJobCount, type BatchOptions, type BatchReport } from './batch.ts';
import { UsageError } from './command.ts';
import { progressLine, summaryLine } from './progress.ts';

/** Exit code after Ctrl-C, as shells report a process killed by SIGINT. */
const INTERRUPTED = 130;

/** Parses `--jobs N` (default: every core). */
export function parseJobs(flags: Map<string, string | true>): number {
  const raw = flags.get('jobs');
  if (raw === undefined) return defaultJobs();
  const n = Number(raw);
  if (raw === true || !isJobCount(n)) throw new UsageError(`--jobs must be a whole number from 1 to 256 (got "${String(raw)}")`);
  return n;
}

/**
 * Runs a batch for a CLI command: progress on a terminal, each failure on
 * stderr as it happens, Ctrl-C stopping the workers (no partial file left),
 * and the summary at the end. Resolves to the exit code: 0 when every file
 * was written, 1 when any failed or was not run, 130 when interrupted.
 */
export async function runBatchCommand(
  command: string,
  options: { readonly quiet: boolean; readonly jobs: number; readonly failFast: boolean },
  start: (batch: BatchOptions) => Promise<BatchReport>,
): Promise<number> {
  const controller = new AbortController();
  let interrupted = false;
  const onSigint = (): void => {
    interrupted = true;
    controller.abort();
  };
  process.once('SIGINT', onSigint);
  const progress = progressLine(process.stdout, options.quiet);
  try {
    const report = await start({
      jobs: options.jobs,
      failFast: options.failFast,
      signal: controller.signal,
      onFile(file, soFar) {
        if (!file.ok) {
          progress.clear();
          process.stderr.write(`outboard ${command}: ${file.reason}\n`);
        }
        progress.onFile(file, soFar);
      },
    });
    progress.clear();
    if (interrupted) process.stderr.write(`outboard ${command}: interrupted: ${report.files.length} of ${report.total} files finished, no partial file left\n`);
    else if (report.stopped) process.stderr.write(`outboard ${command}: stopped at the first failure (--fail-fast)\n`);
    if (!options.quiet) process.stdout.write(`${summaryLine(report)}\n`);
    if (interrupted) return INTERRUPTED;
    return report.written === report.total ? 0 : 1;
  } finally {
    process.removeListener('SIGINT', onSigint);
  }
}
