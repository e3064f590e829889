import type { BatchOptions, BatchReport } from './batch.ts';

type OnFile = NonNullable<BatchOptions['onFile']>;

/** m:ss, or h:mm:ss past an hour. */
function clock(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const [h, m, r] = [Math.floor(s / 3600), Math.floor((s % 3600) / 60), s % 60];
  const mmss = `${h > 0 ? String(m).padStart(2, '0') : m}:${String(r).padStart(2, '0')}`;
  return h > 0 ? `${h}:${mmss}` : mmss;
}

/**
 * The batch's progress line: files done / total, audio-seconds rendered per
 * second and the ETA, rewritten in place. Only on a terminal: when `stream`
 * is not a TTY (a pipe, a log file, a CI job) or `quiet`, it writes nothing.
 */
export function progressLine(stream: NodeJS.WriteStream, quiet: boolean): { onFile: OnFile; clear(): void } {
  const live = !quiet && stream.isTTY === true;
  let shown = false;
  return {
    onFile(_file, { done, total, audioSeconds, elapsedSeconds }) {
      if (!live) return;
      const rate = elapsedSeconds > 0 ? audioSeconds / elapsedSeconds : 0;
      const eta = done > 0 ? ((total - done) * elapsedSeconds) / done : 0;
      stream.write(`\r\x1b[K${done}/${total} files  ${rate.toFixed(1)} audio-s/s  ETA ${clock(eta)}`);
      shown = true;
    },
    /** Wipes the line (before another message, and at the end); the next file redraws it. */
    clear() {
      if (shown) stream.write('\r\x1b[K');
      shown = false;
    },
  };
}

/** The closing line: files, total audio, wall time and the realtime factor. */
export function summaryLine(report: BatchReport): string {
  const failed = report.failed > 0 ? `, ${report.failed} failed` : '';
  const unrun = report.total - report.files.length;
  const rest = unrun > 0 ? `, ${unrun} not run` : '';
  const x = report.wallSeconds > 0 ? report.audioSeconds / report.wallSeconds : 0;
  return `${report.written} of ${report.total} files written${failed}${rest}: ${report.audioSeconds.toFixed(1)} s of audio in ${report.wallSeconds.toFixed(2)} s (${x.toFixed(1)}x realtime)`;
}
