/**
 * Moves SQLite's WAL checkpoints off the event loop. A checkpoint copies the
 * WAL back into the database and, at synchronous=NORMAL, fsyncs both files —
 * a few milliseconds during which, on the main thread, no fader value would
 * move. Here a worker thread with its own connection runs a PASSIVE
 * checkpoint (it never blocks writers) every `intervalMs`; the main
 * connection's auto-checkpoint stays as a far-off backstop in case the worker
 * falls behind.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

// Plain CommonJS, evaluated in the worker: it must not depend on the TypeScript loader.
const SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path);
db.pragma('busy_timeout = 1000');
const timer = setInterval(() => {
  try { db.pragma('wal_checkpoint(PASSIVE)'); } catch { /* busy or closing: the next tick retries */ }
}, workerData.intervalMs);
parentPort.on('message', () => { clearInterval(timer); db.close(); parentPort.close(); });
`;

/** A running background checkpointer; `stop` resolves once its connection is closed. */
export interface Checkpointer {
  stop(): Promise<void>;
}

/** Starts checkpointing the database at `path` every `intervalMs` from a worker thread. */
export function startCheckpointer(path: string, intervalMs: number): Checkpointer {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(SOURCE, { eval: true, workerData: { path, driver, intervalMs } });
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
