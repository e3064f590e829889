import { Worker } from 'node:worker_threads';

/** A job's message to a worker: its index in the batch and the job. */
export interface JobMessage<J> {
  readonly id: number;
  readonly job: J;
}

/** A worker's answer to one {@link JobMessage}. */
export interface ResultMessage<R> {
  readonly id: number;
  readonly result: R;
}

/** How a pool runs a batch. */
export interface PoolOptions<J, R> {
  /** The worker module; it answers every {@link JobMessage} with one {@link ResultMessage}. */
  readonly worker: URL;
  /** Threads at most (fewer when there are fewer jobs). */
  readonly size: number;
  readonly jobs: readonly J[];
  /** A job's result when its worker died under it (the thread threw, ran out of memory). */
  crashed(job: J, error: Error): R;
  /** Called as each job finishes, in the order they finish; returning false starts no further job. */
  done(id: number, result: R): boolean;
  /** Aborting stops every worker at once; the jobs they held are handed to `abandoned`. */
  readonly signal?: AbortSignal;
  /** The jobs that were running when the signal aborted (so their partial outputs can go). */
  abandoned?(ids: readonly number[]): void;
}

/**
 * Runs `jobs` on a pool of worker threads, each taking the next job as it
 * finishes the last (one engine per thread, reused). Resolves when every job
 * finished, `done` said stop, or the signal aborted.
 */
export function runPool<J, R>(options: PoolOptions<J, R>): Promise<void> {
  const { jobs, signal } = options;
  return new Promise<void>((resolve) => {
    let next = 0;
    let stopping = false;
    const running = new Map<Worker, number>();
    const workers = new Set<Worker>();

    const finish = (): void => {
      signal?.removeEventListener('abort', abort);
      for (const w of workers) void w.terminate();
      workers.clear();
      resolve();
    };
    const feed = (w: Worker): void => {
      if (stopping || next >= jobs.length) {
        workers.delete(w);
        void w.terminate();
        if (running.size === 0) finish();
        return;
      }
      const id = next++;
      running.set(w, id);
      w.postMessage({ id, job: jobs[id] as J } satisfies JobMessage<J>);
    };
    const settle = (w: Worker, result: R): void => {
      const id = running.get(w);
      if (id === undefined) return;
      running.delete(w);
      if (!options.done(id, result)) stopping = true;
      feed(w);
    };
    const spawn = (): void => {
      const w = new Worker(options.worker);
      workers.add(w);
      w.on('message', (m: ResultMessage<R>) => settle(w, m.result));
      let failure: Error | null = null;
      w.on('error', (error) => { failure = error; });
      // A thread that dies (it threw, ran out of memory, exited) holding a job: that job
      // fails and a fresh thread takes its place. Threads the pool ends hold no job.
      w.on('exit', (code) => {
        const id = running.get(w);
        if (id === undefined) return;
        running.delete(w);
        workers.delete(w);
        const error = failure ?? new Error(`the thread exited with code ${code}`);
        if (!options.done(id, options.crashed(jobs[id] as J, error))) stopping = true;
        if (stopping || next >= jobs.length) {
          if (running.size === 0) finish();
          return;
        }
        spawn();
      });
      feed(w);
    };
    const abort = (): void => {
      stopping = true;
      const held = [...running.values()];
      running.clear();
      // terminate() stops a thread between two of its statements, even inside a synchronous write.
      Promise.all([...workers].map((w) => w.terminate())).then(() => {
        workers.clear();
        options.abandoned?.(held);
        finish();
      }, () => finish());
    };

    if (signal?.aborted) return resolve();
    signal?.addEventListener('abort', abort, { once: true });
    const size = Math.max(1, Math.min(options.size, jobs.length));
    if (jobs.length === 0) return finish();
    for (let i = 0; i < size; i++) spawn();
  });
}
