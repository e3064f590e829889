/**
 * The relay's event loop decides every fader's latency; V8's helper threads
 * (its optimizing compiler, GC helpers) do work that can wait a few
 * milliseconds. On a small machine they compete for the same cores, and V8
 * keeps compiling Node's own socket and timer code for minutes after start:
 * measured on 2 cores, those background jobs were most of the relay's fan-out
 * p99 (see `npx outboard bench relay`). So the threads that exist before the
 * relay is created — V8's pool, the module loader's, libuv's pool if it has
 * started — run at a lower priority (a higher nice value).
 *
 * Threads started later inherit their creator's priority: the WAL
 * checkpointer's thread, started by the event loop, keeps the event loop's.
 * It must: it holds SQLite's WAL locks while it works, and a starved holder
 * would make a commit on the event loop wait for it (priority inversion).
 *
 * Linux only: there a thread id is a valid target for setpriority(2), and a
 * process can always lower its own threads' priority. Elsewhere this does
 * nothing.
 */
import { readdirSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';

/** Gives every thread but the main one at least `nice`; returns how many were lowered. */
export function lowerBackgroundThreads(nice: number): number {
  let tids: string[];
  try {
    tids = readdirSync('/proc/self/task');
  } catch {
    return 0;
  }
  let lowered = 0;
  for (const name of tids) {
    const tid = Number(name);
    if (tid === process.pid) continue;
    try {
      if (getPriority(tid) >= nice) continue;
      setPriority(tid, nice);
      lowered++;
    } catch {
      // The thread ended between the listing and the call.
    }
  }
  return lowered;
}
