/**
 * Moves SQLite's background upkeep off the event loop, into a worker thread
 * with its own connection.
 *
 * Checkpoints: a checkpoint copies the WAL back into the database and, at
 * synchronous=NORMAL, fsyncs both files — a few milliseconds during which, on
 * the main thread, no fader value would move. The worker runs a PASSIVE
 * checkpoint (it never blocks writers) every `intervalMs`; the main
 * connection's auto-checkpoint stays as a far-off backstop in case the worker
 * falls behind.
 *
 * Vacuum: retention deletes old ops (see sqlite.ts), which leaves free pages.
 * With `auto_vacuum=INCREMENTAL` the worker hands them back to the file system
 * a bounded number per tick, each its own short write transaction, so the
 * database file shrinks instead of keeping its high-water mark. The main
 * connection's commits wait (busy_timeout) only for one such chunk.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** Free pages the worker tolerates before vacuuming (a little slack avoids shrinking and regrowing). */
const VACUUM_SLACK_PAGES = 256;
/** Most pages returned per tick: one short write transaction. */
const VACUUM_CHUNK_PAGES = 512;

// Plain CommonJS, evaluated in the worker: it must not depend on the TypeScript loader.
const SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path);
db.pragma('busy_timeout = 1000');
const timer = setInterval(() => {
  try {
    if (workerData.checkpoint) db.pragma('wal_checkpoint(PASSIVE)');
    if (db.pragma('freelist_count', { simple: true }) > workerData.slack) db.pragma('incremental_vacuum(' + workerData.chunk + ')');
  } catch { /* busy or closing: the next tick retries */ }
}, workerData.intervalMs);
parentPort.on('message', () => { clearInterval(timer); db.close(); parentPort.close(); });
`;

/** A running background worker; `stop` resolves once its connection is closed. */
export interface Checkpointer {
  stop(): Promise<void>;
}

/**
 * Starts the upkeep of the database at `path` every `intervalMs` from a worker
 * thread: incremental vacuum always, PASSIVE checkpoints when `checkpoint`.
 */
export function startCheckpointer(path: string, intervalMs: number, options: { readonly checkpoint: boolean } = { checkpoint: true }): Checkpointer {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(SOURCE, {
    eval: true,
    workerData: { path, driver, intervalMs, checkpoint: options.checkpoint, slack: VACUUM_SLACK_PAGES, chunk: VACUUM_CHUNK_PAGES },
  });
  worker.unref();
  const exited = new Promise<void>((resolve) => {
    worker.once('exit', () => resolve());
    worker.once('error', () => resolve());
  });
  return {
    stop() {
      // Unref'd so it never keeps a relay alive; ref'd again here so shutdown waits for its connection to close.
      worker.ref();
      worker.postMessage('stop');
      return exited;
    },
  };
}
