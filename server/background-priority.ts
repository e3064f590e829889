/**
 * The relay's event loop decides every fader's latency; its process's other
 * threads (V8's compiler and GC helpers, the WAL checkpointer, libuv's pool)
 * do work that can wait a few milliseconds. On a small machine they compete
 * for the same cores, and V8 keeps compiling Node's own socket and timer code
 * for minutes after start: measured on 2 cores, those background jobs were
 * most of the relay's fan-out p99 (see `npx outboard bench relay`). So every
 * thread but the main one runs at a lower priority (a higher nice value).
 *
 * Linux only: there a thread id is a valid target for setpriority(2), and a
 * process can always lower its own threads' priority. Elsewhere this does
 * nothing.
 */
import { readdirSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';

/** How often threads started later (libuv's pool starts on first use) are lowered too. */
const RECHECK_MS = 10_000;

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

/** Lowers the background threads now and every {@link RECHECK_MS}; returns the stop function. `nice` 0 leaves them alone. */
export function keepBackgroundThreadsLow(nice: number): () => void {
  if (nice === 0) return () => undefined;
  lowerBackgroundThreads(nice);
  const timer = setInterval(() => lowerBackgroundThreads(nice), RECHECK_MS);
  timer.unref();
  return () => clearInterval(timer);
}
