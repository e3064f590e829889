/**
 * Test harness for the cluster: a real `redis-server` (Debian's) as a child
 * process on a free loopback port, with AOF at `appendfsync always` in its own
 * temporary dir, and relay nodes pointed at it. Tests skip with a clear
 * message where redis-server is not installed.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { Redis } from 'ioredis';
import { cleanup, startRelay, tempDir, type TestRelay } from './relay-client.ts';

/** Whether Debian's redis-server is on the PATH (`.ci/run` installs it). */
export const HAS_REDIS = spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;
/** Why cluster tests were skipped, for `describe.skipIf(...)` titles. */
export const NO_REDIS = 'redis-server is not installed (apt-get install redis-server; .ci/run does it)';

/** A free TCP port on 127.0.0.1 (bound and released; redis-server cannot take port 0). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** A running redis-server. */
export interface TestRedis {
  readonly port: number;
  readonly url: string;
  readonly dir: string;
  /** The running server's process id (for CPU time in the bench). */
  readonly pid: number | undefined;
  /** A client for the test's own inspection. */
  client(): Redis;
  /** SIGTERM and wait (Redis writes its AOF and exits). */
  stop(): Promise<void>;
  /** Starts it again on the same port and dir (after {@link stop}). */
  restart(): Promise<void>;
  /** Stops it and removes its dir. */
  dispose(): Promise<void>;
}

/** Starts redis-server with AOF on a free port; `appendfsync always` unless told (the bench compares `everysec`). */
export async function startRedis(appendfsync: 'always' | 'everysec' = 'always'): Promise<TestRedis> {
  const dir = tempDir();
  const port = await freePort();
  let child: ChildProcess | undefined;
  const clients: Redis[] = [];
  const launch = async () => {
    const proc = spawn('redis-server', [
      '--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '',
      '--appendonly', 'yes', '--appendfsync', appendfsync, '--loglevel', 'warning',
    ], { stdio: ['ignore', 'pipe', 'pipe'] });
    child = proc;
    let log = '';
    proc.stdout?.on('data', (c: Buffer) => (log += c.toString()));
    proc.stderr?.on('data', (c: Buffer) => (log += c.toString()));
    const probe = new Redis({ port, host: '127.0.0.1', lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
    probe.on('error', () => undefined);
    for (let i = 0; ; i++) {
      if (proc.exitCode !== null) throw new Error(`redis-server exited: ${log}`);
      try {
        await probe.connect();
        // Ready only once the AOF is loaded.
        if ((await probe.ping()) === 'PONG') break;
      } catch {
        if (i > 200) throw new Error(`redis-server did not start: ${log}`);
        await new Promise((r) => setTimeout(r, 25));
      }
    }
    probe.disconnect();
  };
  const stop = async () => {
    const proc = child;
    if (!proc || proc.exitCode !== null) return;
    const exited = new Promise((r) => proc.once('exit', r));
    proc.kill('SIGTERM');
    await exited;
  };
  await launch();
  return {
    port, dir, url: `redis://127.0.0.1:${port}`,
    get pid() {
      return child?.pid;
    },
    client() {
      const c = new Redis({ port, host: '127.0.0.1' });
      clients.push(c);
      return c;
    },
    stop,
    restart: launch,
    async dispose() {
      for (const c of clients) c.disconnect();
      await stop();
      cleanup(dir);
    },
  };
}

/** An in-process relay node on `redis` (settings as `startRelay`). */
export function startNode(redis: TestRedis, env: Record<string, string> = {}): Promise<TestRelay> {
  return startRelay({ OUTBOARD_REDIS_URL: redis.url, ...env });
}

/** A session's whole log as Redis holds it: op id -> the seqs it is logged at (one, unless something went wrong). */
export async function loggedOps(redis: TestRedis, session: string): Promise<Map<string, number[]>> {
  const entries = (await redis.client().xrange(`ob:{${session}}:log`, '-', '+')) as [string, string[]][];
  const byId = new Map<string, number[]>();
  for (const [id, fields] of entries) {
    const op = JSON.parse(fields[fields.indexOf('op') + 1]!) as { id: string };
    byId.set(op.id, [...(byId.get(op.id) ?? []), Number.parseInt(id, 10)]);
  }
  return byId;
}

/** Polls `check` until it holds, for state another process reaches in its own time (a Redis write, an expiry). */
export async function until(check: () => Promise<boolean> | boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
