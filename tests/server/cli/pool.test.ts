import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPool } from '../../../server/cli/pool.ts';

let dir = '';
let worker: URL;

/** A real worker thread: doubles a number, throws on 'crash' and exits on 'exit' (the thread dies either way), never answers 'hang'. */
const WORKER = `
import { parentPort, threadId } from 'node:worker_threads';
parentPort.on('message', ({ id, job }) => {
  if (job === 'crash') throw new Error('boom');
  if (job === 'hang') return;
  if (job === 'exit') process.exit(3);
  parentPort.postMessage({ id, result: { value: job * 2, thread: threadId } });
});
`;

type Job = number | 'crash' | 'exit' | 'hang';
type Out = { value?: number; thread?: number; crashed?: string };

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'outboard-pool-'));
  writeFileSync(join(dir, 'worker.mjs'), WORKER);
  worker = pathToFileURL(join(dir, 'worker.mjs'));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

function pool(jobs: Job[], size: number, extra: { stopAfter?: number; signal?: AbortSignal; onDone?: (id: number) => void } = {}) {
  const results = new Map<number, Out>();
  let abandoned: readonly number[] = [];
  const run = runPool<Job, Out>({
    worker, size, jobs, signal: extra.signal,
    crashed: (_job, error) => ({ crashed: error.message }),
    done(id, result) {
      results.set(id, result);
      extra.onDone?.(id);
      return extra.stopAfter === undefined || results.size < extra.stopAfter;
    },
    abandoned: (ids) => { abandoned = ids; },
  });
  return { run, results, abandoned: () => abandoned };
}

describe('the worker pool', () => {
  it('runs every job on at most `size` threads, each thread taking several', async () => {
    const p = pool([1, 2, 3, 4, 5, 6, 7, 8], 2);
    await p.run;
    expect([...p.results.keys()].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect([...p.results.values()].map((r) => r.value).sort((a, b) => (a ?? 0) - (b ?? 0))).toEqual([2, 4, 6, 8, 10, 12, 14, 16]);
    expect(new Set([...p.results.values()].map((r) => r.thread)).size).toBeLessThanOrEqual(2);
  });

  it('a thread that dies fails only its job; a fresh thread takes the rest', async () => {
    const p = pool([1, 'crash', 3, 'exit', 5], 1);
    await p.run;
    expect(p.results.get(1)).toEqual({ crashed: 'boom' });
    expect(p.results.get(3)).toEqual({ crashed: 'the thread exited with code 3' });
    expect([0, 2, 4].map((id) => p.results.get(id)?.value)).toEqual([2, 6, 10]);
  });

  it('starts no further job once `done` says stop', async () => {
    const p = pool([1, 2, 3, 4, 5], 1, { stopAfter: 2 });
    await p.run;
    expect([...p.results.keys()]).toEqual([0, 1]);
  });

  it('aborting stops the threads at once and hands back the jobs they held', async () => {
    const controller = new AbortController();
    // Job 0 answers, then the thread takes job 1 and never answers: abort then.
    const p = pool([1, 'hang', 3], 1, { signal: controller.signal, onDone: () => queueMicrotask(() => controller.abort()) });
    await p.run;
    expect([...p.results.keys()]).toEqual([0]);
    expect(p.abandoned()).toEqual([1]);
  });
});
