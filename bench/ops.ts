/**
 * `outboard bench ops`: what operating the relay costs. The database size
 * after 200,000 ops with and without log retention; the fan-out p99 of a
 * fader at 60 Hz to 100 members with and without a Prometheus scrape every
 * second; the time to back up a 100 MB database and the relay's ack p99
 * while it runs; on a Redis cluster node (where redis-server is installed):
 * restoring a backup into Redis, listing its sessions, and an online backup
 * with a node's ack p99 during it. Relays run in their own processes (see
 * relay.ts). A printed table, not a test.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import type { WebSocket } from 'ws';
import { createSession } from '../src/model/index.ts';
import { KEEP_ALL, SqliteStore, type LoggedOp } from '../server/store/sqlite.ts';
import { connect, connectMany, HZ, SECRET, seed, SESSION, sleep, startServer, stopServer, type Server } from './relay.ts';
import { summarize, type Latency } from './stats.ts';
import { cliBin } from '../server/package-info.ts';
import { mintToken } from '../server/auth/tokens.ts';
import { HAS_REDIS, NO_REDIS, startRedis } from './redis-server.ts';
import { printTable } from './table.ts';

const exec = promisify(execFile);
const METRICS_TOKEN = 'bench-metrics-token';
const MiB = 1024 * 1024;

const paramOp = (id: string, value: number, ephemeral = false) => JSON.stringify({
  id, type: 'PLUGIN_PARAMETER', session_id: SESSION, ...(ephemeral ? { ephemeral: true } : {}),
  data: { track_id: 't1', plugin_id: 'p1', parameter_id: 'cutoff', parameter_value: value },
});

const sizeMiB = (path: string) => {
  try {
    return statSync(path).size / MiB;
  } catch {
    return 0;
  }
};
/** The database file and its WAL, in MiB, as "file + wal". */
const files = (dir: string) => `${sizeMiB(join(dir, 'outboard.sqlite')).toFixed(1)} + ${sizeMiB(join(dir, 'outboard.sqlite-wal')).toFixed(1)}`;

/** Sends ops `from`..`from + count - 1` into one session, 500 in flight; resolves once all are acked. */
async function pump(owner: WebSocket, from: number, count: number): Promise<void> {
  let sent = 0;
  let acked = 0;
  const send = () => {
    const n = from + sent++;
    owner.send(paramOp(`o_${n}`, 20 + (n % 19_000)));
  };
  await new Promise<void>((resolve) => {
    const listener = (data: WebSocket.RawData) => {
      if (!String(data).startsWith('{"type":"ack"')) return;
      if (++acked === count) {
        owner.off('message', listener);
        resolve();
      } else if (sent < count) send();
    };
    owner.on('message', listener);
    for (let i = 0; i < Math.min(500, count); i++) send();
  });
}

/** Database and WAL size (MiB) at each 50,000 acked ops, and after a clean stop. */
async function growth(retain: string, total: number): Promise<string[]> {
  const server = await startServer('relay', { OUTBOARD_LOG_RETAIN_OPS: retain, OUTBOARD_MAX_MESSAGES_PER_SECOND: '10000000' });
  const sizes: string[] = [];
  try {
    const owner = await connect(server, 'owner', '127.0.0.1');
    await seed(owner);
    for (let done = 0; done < total; done += 50_000) {
      await pump(owner, done, 50_000);
      sizes.push(files(server.dir!));
    }
    // A few of the background thread's ticks (checkpoint, vacuum chunk).
    await sleep(3000);
    sizes.push(files(server.dir!));
    owner.terminate();
  } finally {
    const dir = server.dir!;
    await stopServer({ ...server, dir: undefined } as Server);
    sizes.push(files(dir));
    rmSync(dir, { recursive: true, force: true });
  }
  return sizes;
}

/** Fan-out latency (ms) of a durable fader at 60 Hz to `members`, for `seconds`. */
async function fader(owner: WebSocket, members: WebSocket[], seconds: number, base: number): Promise<number[]> {
  const sentAt = new Map<number, number>();
  const samples: number[] = [];
  const listener = (data: WebSocket.RawData) => {
    const text = String(data);
    if (!text.startsWith('{"id":"f_')) return;
    const value = (JSON.parse(text) as { data: { parameter_value: number } }).data.parameter_value;
    const t0 = sentAt.get(value);
    if (t0 !== undefined) samples.push(performance.now() - t0);
  };
  for (const m of members) m.on('message', listener);
  for (let i = 0; i < seconds * HZ; i++) {
    const value = base + i;
    sentAt.set(value, performance.now());
    owner.send(paramOp(`f_${value}`, value));
    await sleep(1000 / HZ);
  }
  await sleep(200);
  for (const m of members) m.off('message', listener);
  return samples;
}

/** Fan-out to 100 members, in alternating blocks without and with one scrape per second. */
async function scrapeCost(blocks: number, seconds: number): Promise<{ without: Latency; with: Latency; scrapeMs: Latency; scrapeKiB: number }> {
  const server = await startServer('relay', { OUTBOARD_METRICS_TOKEN: METRICS_TOKEN });
  const without: number[] = [];
  const withScrapes: number[] = [];
  const scrapeMs: number[] = [];
  let scrapeBytes = 0;
  try {
    const owner = await connect(server, 'owner', '127.0.0.1');
    await seed(owner);
    const members = await connectMany(server, 100);
    await fader(owner, members, 2, 100); // warm-up
    let base = 1000;
    for (let b = 0; b < blocks * 2; b++) {
      const scraping = b % 2 === 1;
      let stop = false;
      const scraper = (async () => {
        while (scraping && !stop) {
          const t0 = performance.now();
          const text = await (await fetch(`http://127.0.0.1:${server.port}/metrics`, { headers: { Authorization: `Bearer ${METRICS_TOKEN}` } })).text();
          scrapeMs.push(performance.now() - t0);
          scrapeBytes = text.length;
          await sleep(1000);
        }
      })();
      (scraping ? withScrapes : without).push(...(await fader(owner, members, seconds, base)));
      stop = true;
      await scraper;
      base += seconds * HZ;
    }
    for (const m of members) m.terminate();
    owner.terminate();
  } finally {
    await stopServer(server);
  }
  return { without: summarize(without), with: summarize(withScrapes), scrapeMs: summarize(scrapeMs), scrapeKiB: scrapeBytes / 1024 };
}

/** Fills a data dir with about `mib` MiB of sessions of `perSession` logged ops each, through the relay's own store. */
async function fill(dir: string, mib: number, perSession = 20_000): Promise<number> {
  const store = new SqliteStore(dir, 'normal', KEEP_ALL);
  const hlc = `${String(Date.now()).padStart(15, '0')}:00000:bench`;
  let sessions = 0;
  // Row bytes written, plus ~10% for keys, b-tree pages and the snapshot.
  let written = 0;
  for (let s = 0; written * 1.1 < mib * MiB; s++) {
    const id = `bulk_${s}`;
    const ops: LoggedOp[] = Array.from({ length: perSession }, (_, i) => ({
      seq: i + 1, user: 'filler',
      op: JSON.stringify({ id: `op_${s}_${i}`, type: 'PLUGIN_PARAMETER', hlc, data: { track_id: 't1', plugin_id: 'p1', parameter_id: 'cutoff', parameter_value: 20 + (i % 19_000) } }),
    }));
    const document = JSON.stringify(createSession({ id, name: `Bulk ${s}` }));
    // The snapshot is at the head: loading these sessions replays nothing.
    store.commit([{ sessionId: id, created: { document, seq: 0 }, ops, seq: perSession, snapshot: { document, seq: perSession } }]);
    for (const op of ops) written += op.op.length + 30;
    sessions++;
  }
  await store.close();
  return sessions;
}

/** Ack latency (ms) of one fader at 60 Hz for `seconds`. */
async function acks(owner: WebSocket, seconds: number, prefix: string): Promise<number[]> {
  const sentAt = new Map<string, number>();
  const samples: number[] = [];
  const listener = (data: WebSocket.RawData) => {
    const frame = JSON.parse(String(data)) as { type?: string; id?: string };
    const t0 = frame.type === 'ack' ? sentAt.get(frame.id ?? '') : undefined;
    if (t0 !== undefined) samples.push(performance.now() - t0);
  };
  owner.on('message', listener);
  for (let i = 0; i < seconds * HZ; i++) {
    const id = `${prefix}_${i}`;
    sentAt.set(id, performance.now());
    owner.send(paramOp(id, 20 + i));
    await sleep(1000 / HZ);
  }
  await sleep(200);
  owner.off('message', listener);
  return samples;
}

/** Backs up a ~`mib` MiB database with `outboard backup` while a fader is acked at 60 Hz. */
async function backupCost(mib: number, seconds: number): Promise<{ size: number; backupS: number; baseline: Latency; during: Latency }> {
  const dir = mkdtempSync(join(tmpdir(), 'outboard-bench-backup-'));
  await fill(dir, mib);
  const server = await startServer('relay', { OUTBOARD_DATA_DIR: dir });
  const target = join(dir, 'backup.sqlite');
  try {
    const owner = await connect(server, 'owner', '127.0.0.1');
    await seed(owner);
    await acks(owner, 1, 'warm');
    const baseline = await acks(owner, seconds, 'base');
    const during: number[] = [];
    let running = true;
    const t0 = performance.now();
    const backup = exec(process.execPath, [cliBin(), 'backup', target], { env: { ...process.env, OUTBOARD_DATA_DIR: dir } }).finally(() => (running = false));
    let backupS = 0;
    void backup.then(() => (backupS = (performance.now() - t0) / 1000));
    while (running) during.push(...(await acks(owner, 1, `during_${during.length}`)));
    await backup;
    owner.terminate();
    return { size: statSync(target).size / MiB, backupS, baseline: summarize(baseline), during: summarize(during) };
  } finally {
    await stopServer(server);
    rmSync(dir, { recursive: true, force: true });
  }
}

/** What the cluster's operations cost, measured by {@link clusterCost}. */
interface ClusterCost {
  readonly sessions: number;
  readonly ops: number;
  readonly restoreS: number;
  readonly redisMiB: number;
  readonly listMs: Latency;
  readonly backupS: number;
  readonly backupMiB: number;
  readonly baseline: Latency;
  readonly during: Latency;
}

/**
 * On a fresh redis-server: `outboard restore` of ~`mib` MiB of sessions (a single node's backup, `perSession`
 * ops each) with no node running; then one node: `GET /api/sessions` as an admin (all of them), and
 * `outboard backup` of them all while a fader is acked at 60 Hz through that node.
 */
async function clusterCost(mib: number, perSession: number, seconds: number): Promise<ClusterCost> {
  const dir = mkdtempSync(join(tmpdir(), 'outboard-bench-cluster-ops-'));
  const sessions = await fill(dir, mib, perSession);
  const redis = await startRedis();
  let server: Server | undefined;
  try {
    const env = { ...process.env, OUTBOARD_REDIS_URL: redis.url };
    let t0 = performance.now();
    await exec(process.execPath, [cliBin(), 'restore', join(dir, 'outboard.sqlite')], { env });
    const restoreS = (performance.now() - t0) / 1000;
    const usedMemory = /used_memory:(\d+)/.exec(await redis.client().info('memory'))?.[1];
    server = await startServer('relay', { OUTBOARD_REDIS_URL: redis.url });
    const admin = { Authorization: `Bearer ${await mintToken(SECRET, { user: 'bench', session: '*', role: 'admin', ttlSeconds: 3600 })}` };
    const listMs: number[] = [];
    for (let i = 0; i < 5; i++) {
      t0 = performance.now();
      const body = (await (await fetch(`http://127.0.0.1:${server.port}/api/sessions`, { headers: admin })).json()) as { sessions: unknown[] };
      listMs.push(performance.now() - t0);
      if (body.sessions.length < sessions) throw new Error(`listed ${body.sessions.length} of ${sessions} sessions`);
    }
    const owner = await connect(server, 'owner', '127.0.0.1');
    await seed(owner);
    await acks(owner, 1, 'warm');
    const baseline = await acks(owner, seconds, 'base');
    const target = join(dir, 'cluster-backup.sqlite');
    const during: number[] = [];
    let running = true;
    t0 = performance.now();
    let backupS = 0;
    const backup = exec(process.execPath, [cliBin(), 'backup', target], { env }).finally(() => {
      running = false;
      backupS = (performance.now() - t0) / 1000;
    });
    while (running) during.push(...(await acks(owner, 1, `during_${during.length}`)));
    await backup;
    owner.terminate();
    return {
      sessions, ops: sessions * perSession, restoreS, redisMiB: Number(usedMemory ?? 0) / MiB, listMs: summarize(listMs),
      backupS, backupMiB: statSync(target).size / MiB, baseline: summarize(baseline), during: summarize(during),
    };
  } finally {
    if (server) await stopServer(server);
    await redis.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The single node's tables: database growth, the cost of a scrape, an online backup. */
async function single(quick: boolean): Promise<void> {
  const total = quick ? 100_000 : 200_000;
  const kept = await growth('10000', total);
  const all = await growth(String(Number.MAX_SAFE_INTEGER), total);
  const marks = kept.slice(0, -2).map((_, i) => `${(i + 1) * 50}k`);
  printTable(`Database size in MiB (database file + WAL file) while one session takes ${total} durable ops, 500 in flight; after the last: 3 s later, and after a clean stop`,
    ['log retention', ...marks, 'end', 'stopped'],
    [['10,000 ops (default)', ...kept], ['off (every op kept)', ...all]]);

  const scrape = await scrapeCost(quick ? 2 : 4, quick ? 5 : 10);
  printTable(`Cost of a Prometheus scrape: one durable fader at ${HZ} Hz to 100 members, alternating blocks without and with GET /metrics once a second; latency in ms`,
    ['', 'fan-out p50', 'fan-out p99', 'samples'],
    [['no scrapes', scrape.without.p50, scrape.without.p99, String(scrape.without.samples)],
      ['one scrape per second', scrape.with.p50, scrape.with.p99, String(scrape.with.samples)],
      [`a scrape itself (${scrape.scrapeKiB.toFixed(1)} KiB)`, scrape.scrapeMs.p50, scrape.scrapeMs.p99, String(scrape.scrapeMs.samples)]]);

  const backup = await backupCost(quick ? 20 : 100, quick ? 3 : 5);
  printTable(`Online backup: \`outboard backup\` of a ${backup.size.toFixed(0)} MiB database while a fader is acked at ${HZ} Hz; ack latency in ms`,
    ['', 'seconds', 'ack p50', 'ack p99', 'acks'],
    [['before the backup', '', backup.baseline.p50, backup.baseline.p99, String(backup.baseline.samples)],
      ['during the backup', backup.backupS, backup.during.p50, backup.during.p99, String(backup.during.samples)]]);
}

/** Runs the operations suite; `--quick` shortens every phase, `--cluster` runs only the cluster's. */
export async function run(args: string[]): Promise<void> {
  const quick = args.includes('--quick');
  if (!args.includes('--cluster')) await single(quick);
  if (!HAS_REDIS) {
    process.stdout.write(`\nCluster operations: skipped (${NO_REDIS})\n`);
    return;
  }
  const c = await clusterCost(quick ? 10 : 50, 500, quick ? 3 : 5);
  printTable(`Cluster operations on Redis (appendfsync always): ${c.sessions} sessions, ${c.ops} logged ops (${c.redisMiB.toFixed(0)} MiB in Redis); one node; times in s, latency in ms`,
    ['', 'seconds', 'p50', 'p99', 'samples'],
    [['`outboard restore` of a single node\'s backup, no node running', c.restoreS, '', '', ''],
      [`GET /api/sessions, all ${c.sessions} (admin)`, '', c.listMs.p50, c.listMs.p99, String(c.listMs.samples)],
      ['ack latency, one fader at 60 Hz, before the backup', '', c.baseline.p50, c.baseline.p99, String(c.baseline.samples)],
      [`ack latency during \`outboard backup\` (${c.backupMiB.toFixed(0)} MiB file)`, c.backupS, c.during.p50, c.during.p99, String(c.during.samples)]]);
}
