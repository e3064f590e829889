/**
 * `outboard bench cluster`: relay nodes on Redis (docs/deploy.md), beside the
 * single SQLite node and the bare-`ws` floor, every server in its own process
 * on a real redis-server (AOF, appendfsync always):
 *
 * - fan-out of one fader at 60 Hz with the owner on node A and the members on
 *   node B, frames interleaved with a single node's, the bare-`ws` floor's and a
 *   bare Redis pub/sub floor's;
 * - durable acked ops/s over many sessions with one and two nodes, and the
 *   CPU time per acked op of each process (this machine has 2 cores: scaling
 *   shows in CPU per op, which extrapolates, not in raw throughput);
 * - resume time after `kill -9` of a node, over 10 kills;
 * - Redis memory per idle session and per 1,000 logged ops.
 * A printed table, not a test.
 */
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join as pathJoin } from 'node:path';
import { performance } from 'node:perf_hooks';
import { spawn, type ChildProcess } from 'node:child_process';
import { WebSocket } from 'ws';
import { spawnRelay, tempDir, token, type ChildRelay } from './relay-client.ts';
import { freePort, HAS_REDIS, NO_REDIS, startRedis, type TestRedis } from './redis-server.ts';
import { ResilientWriter } from './cluster-writer.ts';
import { median, percentile, summarize, type Latency } from './stats.ts';
import { printTable, ratio } from './table.ts';
import { FLOOR } from './relay.ts';
import { RELAY_NODE_FLAGS } from '../server/package-info.ts';

const HZ = 60;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const BENCH_ENV = { OUTBOARD_MAX_MESSAGES_PER_SECOND: '10000000', OUTBOARD_MAX_CONNECTIONS_PER_IP: '100000' };

/** User + system CPU time so far, in ms (Linux /proc; clock ticks of 10 ms): of the whole process, or with `main` of its main thread alone (the event loop). */
function cpuMs(pid: number, main = false): number {
  const fields = readFileSync(main ? `/proc/${pid}/task/${pid}/stat` : `/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

const mainMs = (pid: number) => cpuMs(pid, true);

/** A socket joined to `session` on `base`; resolves once SYNCED. */
async function connect(base: string, session: string, user: string, role: 'owner' | 'editor' | 'viewer'): Promise<WebSocket> {
  const jwt = await token(session, user, role);
  const ws = new WebSocket(`${base}/ws?session=${session}`, { headers: { Authorization: `Bearer ${jwt}` }, perMessageDeflate: false });
  await new Promise<void>((resolve, reject) => {
    ws.once('error', reject);
    ws.on('message', function onMessage(data) {
      if (String(data).includes('"SYNCED"')) {
        ws.off('message', onMessage);
        resolve();
      }
    });
  });
  return ws;
}

const paramOp = (id: string, session: string, value: number, ephemeral = false) => JSON.stringify({
  id, type: 'PLUGIN_PARAMETER', session_id: session, ...(ephemeral ? { ephemeral: true } : {}),
  data: { track_id: 't1', plugin_id: 'p1', parameter_id: 'cutoff', parameter_value: value },
});

/** Gives `session` track t1 with filter p1 through an owner socket; resolves on the second ack. */
async function seed(owner: WebSocket, session: string): Promise<void> {
  const acked = new Promise<void>((resolve) => owner.on('message', function onAck(d) {
    if (String(d).includes(`"seed_p_${session}"`)) {
      owner.off('message', onAck);
      resolve();
    }
  }));
  owner.send(JSON.stringify({ id: `seed_t_${session}`, type: 'ADD_TRACK', session_id: session, data: { track: { id: 't1', name: 'Bench' } } }));
  owner.send(JSON.stringify({ id: `seed_p_${session}`, type: 'ADD_PLUGIN', session_id: session, data: { track_id: 't1', plugin: { id: 'p1', type: 'filter' } } }));
  await acked;
}

/** The servers of one measurement: Redis, cluster nodes, optionally a single SQLite node and the floor. */
class Rig {
  readonly dir = tempDir();
  redis!: TestRedis;
  /** A second Redis for the channels (OUTBOARD_REDIS_CHANNELS_URL), when asked for. */
  channels: TestRedis | undefined;
  nodes: ChildRelay[] = [];
  single: ChildRelay | undefined;
  floor: ChildProcess | undefined;
  floorUrl = '';

  async start(nodes: number, withSingle: boolean, withFloor: boolean, env: Record<string, string> = {}, appendfsync: 'always' | 'everysec' = 'always', channels = false): Promise<this> {
    this.redis = await startRedis(appendfsync);
    // Only for the nodes: the single SQLite relay refuses a channels Redis without a main one.
    let nodeEnv = env;
    if (channels) {
      this.channels = await startRedis('everysec');
      nodeEnv = { ...env, OUTBOARD_REDIS_CHANNELS_URL: this.channels.url };
    }
    const dirs = ['single', ...Array.from({ length: nodes }, (_, i) => `n${i}`)];
    for (const d of dirs) mkdirSync(pathJoin(this.dir, d));
    this.nodes = await Promise.all(Array.from({ length: nodes }, (_, i) => spawnRelay(pathJoin(this.dir, `n${i}`), 0, { ...BENCH_ENV, OUTBOARD_REDIS_URL: this.redis.url, ...nodeEnv })));
    if (withSingle) this.single = await spawnRelay(pathJoin(this.dir, 'single'), 0, { ...BENCH_ENV, ...env });
    if (withFloor) {
      const port = await freePort();
      // With the relays' V8 flags, as in bench relay: the same runtime under both.
      this.floor = spawn(process.execPath, [...RELAY_NODE_FLAGS, FLOOR, String(port)], { stdio: ['ignore', 'pipe', 'inherit'] });
      await new Promise<void>((resolve) => this.floor!.stdout!.on('data', (c: Buffer) => /listening/.test(c.toString()) && resolve()));
      this.floorUrl = `ws://127.0.0.1:${port}`;
    }
    return this;
  }

  async stop(): Promise<void> {
    for (const child of [...this.nodes.map((n) => n.child), this.single?.child, this.floor]) {
      if (!child || child.exitCode !== null) continue;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
    await this.redis.dispose();
    await this.channels?.dispose();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

type Path = 'cluster' | 'single' | 'floor' | 'redis';
const PATHS: readonly Path[] = ['cluster', 'single', 'floor', 'redis'];
/** The bare Redis floor's channel: no relay subscribes to it. */
const FLOOR_CHANNEL = 'bench-floor';

/**
 * One fader at 60 Hz for `seconds` into each path in turn (a quarter of a
 * frame apart), so a stall of the machine lands on all four alike. The
 * cluster's owner is on node A and its members on node B: every value
 * crosses Redis. The Redis floor is the same frame PUBLISHed by this process
 * and received by one subscriber of its own, through the redis-server the
 * values cross (the channels Redis when there is one), no relay: what
 * loopback Redis alone costs here. Latency from send to arrival at each
 * member (the floor: its one subscriber), in ms.
 */
async function fanOut(members: number, seconds: number, gesture: boolean, appendfsync: 'always' | 'everysec', channels: boolean): Promise<Record<Path, Latency>> {
  const rig = await new Rig().start(2, true, true, {}, appendfsync, channels);
  try {
    const S = 'fan';
    const [a, b] = rig.nodes as [ChildRelay, ChildRelay];
    const senders: Record<Exclude<Path, 'redis'>, WebSocket> = {
      cluster: await connect(a.ws, S, 'owner', 'owner'),
      single: await connect(rig.single!.ws, S, 'owner', 'owner'),
      floor: new WebSocket(rig.floorUrl),
    };
    await new Promise((r) => senders.floor.once('open', r));
    const viaRedis = rig.channels ?? rig.redis;
    const publisher = viaRedis.client();
    const subscriber = viaRedis.client();
    await subscriber.subscribe(FLOOR_CHANNEL);
    await seed(senders.cluster, S);
    await seed(senders.single, S);
    const receivers: Record<Path, WebSocket[]> = { cluster: [], single: [], floor: [], redis: [] };
    for (let i = 0; i < members; i++) {
      receivers.cluster.push(await connect(b.ws, S, `m${i}`, 'viewer'));
      receivers.single.push(await connect(rig.single!.ws, S, `m${i}`, 'viewer'));
      const f = new WebSocket(rig.floorUrl);
      await new Promise((r) => f.once('open', r));
      receivers.floor.push(f);
    }
    const sentAt = new Map<number, number>();
    const samples: Record<Path, number[]> = { cluster: [], single: [], floor: [], redis: [] };
    let measuring = false;
    // Every path's frames are read the same way (one JSON.parse), so the bench's own work and GC fall on all alike.
    const arrived = (path: Path, data: unknown) => {
      const frame = JSON.parse(String(data)) as { type?: string; data?: { parameter_value?: number } };
      const t0 = frame.type === 'PLUGIN_PARAMETER' ? sentAt.get(frame.data?.parameter_value ?? -1) : undefined;
      if (t0 !== undefined && measuring) samples[path].push(performance.now() - t0);
    };
    for (const path of PATHS) for (const m of receivers[path]) m.on('message', (data) => arrived(path, data));
    subscriber.on('messageBuffer', (_channel: Buffer, message: Buffer) => arrived('redis', message));
    const frames = (seconds + 2) * HZ;
    const n = PATHS.length;
    for (let i = 0; i < frames * n; i++) {
      // The first two seconds warm up the JIT and the connections.
      measuring = i >= 2 * HZ * n;
      const path = PATHS[i % n]!;
      const value = 20 + (i % 19_000);
      const op = paramOp(`f${i}`, S, value, gesture);
      sentAt.set(value, performance.now());
      if (path === 'redis') void publisher.publish(FLOOR_CHANNEL, op);
      else senders[path].send(op);
      await sleep(1000 / HZ / n);
    }
    await sleep(300);
    for (const ws of [...Object.values(senders), ...Object.values(receivers).flat()]) ws.terminate();
    return { cluster: summarize(samples.cluster), single: summarize(samples.single), floor: summarize(samples.floor), redis: summarize(samples.redis) };
  } finally {
    await rig.stop();
  }
}

/** Ops committed and commits (group commits, or append script calls) so far, summed over `bases` (from `/admin/websocket-security`). */
async function commits(bases: readonly string[]): Promise<{ ops: number; commits: number }> {
  const jwt = await token('*', 'bench-admin', 'admin');
  let ops = 0;
  let calls = 0;
  for (const base of bases) {
    const res = await fetch(`${base.replace(/^ws/, 'http')}/admin/websocket-security`, { headers: { Authorization: `Bearer ${jwt}` } });
    const body = (await res.json()) as { ops: { committed: number; commits: number } };
    ops += body.ops.committed;
    calls += body.ops.commits;
  }
  return { ops, commits: calls };
}

interface Throughput {
  readonly opsPerSecond: number;
  /** Ops per commit: how many ops one SQLite transaction or one append script carried. */
  readonly batch: number;
  /** CPU ms per acked op: the relay node(s), summed, and Redis. */
  readonly nodeCpu: number;
  /** The same, the nodes' main threads only (V8's compiler and GC helpers and libuv's pool left out). */
  readonly mainCpu: number;
  readonly redisCpu: number;
}

/** Durable acked ops/s: `sessions` sessions (named `prefix`N), one writer each with 50 ops in flight, spread over `bases`. */
async function throughput(bases: readonly string[], pids: readonly number[], redisPid: number | undefined, sessions: number, total: number, prefix = 'tp'): Promise<Throughput> {
  const window = 50;
  const writers = await Promise.all(Array.from({ length: sessions }, async (_, i) => {
    const S = `${prefix}${i}`;
    const ws = await connect(bases[i % bases.length]!, S, 'owner', 'owner');
    await seed(ws, S);
    return { ws, S };
  }));
  const perSession = Math.ceil(total / sessions);
  // What each process burns idle (timers, heartbeats, V8's background work) is not the ops' cost: measured for a
  // second first and taken off, so a run slowed down by a busy machine does not look dearer per op.
  const all = [...pids, ...(redisPid ? [redisPid] : [])];
  const idle0 = all.map((pid) => cpuMs(pid));
  const idleMain0 = pids.map(mainMs);
  const idleStart = performance.now();
  await sleep(1000);
  const idleMs = performance.now() - idleStart;
  const idleRate = all.map((pid, i) => (cpuMs(pid) - idle0[i]!) / idleMs);
  const idleMainRate = pids.map((pid, i) => (mainMs(pid) - idleMain0[i]!) / idleMs);
  const before = await commits(bases);
  const cpu0 = pids.map((pid) => cpuMs(pid));
  const main0 = pids.map(mainMs);
  const redis0 = redisPid ? cpuMs(redisPid) : 0;
  const t0 = performance.now();
  await Promise.all(writers.map(({ ws, S }) => new Promise<void>((resolve) => {
    let sent = 0;
    let acked = 0;
    const send = () => ws.send(paramOp(`o${sent}`, S, 20 + (sent++ % 19_000)));
    ws.on('message', (data) => {
      if (!String(data).startsWith('{"type":"ack"')) return;
      acked++;
      if (acked === perSession) resolve();
      else if (sent < perSession) send();
    });
    for (let i = 0; i < window; i++) send();
  })));
  const elapsed = performance.now() - t0;
  const seconds = elapsed / 1000;
  const ops = perSession * sessions;
  const net = (spent: number, i: number) => Math.max(0, spent - idleRate[i]! * elapsed);
  const nodeCpu = pids.reduce((sum, pid, i) => sum + net(cpuMs(pid) - cpu0[i]!, i), 0) / ops;
  const mainCpu = pids.reduce((sum, pid, i) => sum + Math.max(0, mainMs(pid) - main0[i]! - idleMainRate[i]! * elapsed), 0) / ops;
  const redisCpu = redisPid ? net(cpuMs(redisPid) - redis0, pids.length) / ops : 0;
  const after = await commits(bases);
  for (const { ws } of writers) ws.terminate();
  return { opsPerSecond: ops / seconds, batch: (after.ops - before.ops) / Math.max(1, after.commits - before.commits), nodeCpu, mainCpu, redisCpu };
}

/** Resume time after kill -9 of the node a writer is on: `kills` times, a fresh node each time. */
async function resumes(kills: number): Promise<number[]> {
  const rig = await new Rig().start(1, false, false);
  const times: number[] = [];
  try {
    const S = 'resume';
    const survivor = rig.nodes[0]!;
    const owner = await connect(survivor.ws, S, 'owner', 'owner');
    await seed(owner, S);
    for (let k = 0; k < kills; k++) {
      const dir = pathJoin(rig.dir, `victim${k}`);
      mkdirSync(dir);
      const victim = await spawnRelay(dir, 0, { ...BENCH_ENV, OUTBOARD_REDIS_URL: rig.redis.url });
      const writer = new ResilientWriter([victim.ws, survivor.ws], S, await token(S, `w${k}`, 'editor'), `k${k}_`);
      await writer.start();
      const tick = setInterval(() => writer.send(), 5);
      while (writer.acked.size < 100) await sleep(10);
      victim.child.kill('SIGKILL');
      await victim.exited;
      while (writer.resumes.length === 0) await sleep(5);
      clearInterval(tick);
      await writer.settled();
      times.push(writer.resumes[0]!);
      writer.stop();
    }
    owner.terminate();
  } finally {
    await rig.stop();
  }
  return times;
}

/** Redis memory per idle session (created, seeded, left) and per 1,000 logged ops (snapshots off: the log is not trimmed). */
async function memory(sessions: number, ops: number): Promise<{ perSession: number; per1000: number }> {
  const rig = await new Rig().start(1, false, false, { OUTBOARD_SNAPSHOT_EVERY: '100000000' });
  try {
    const base = rig.nodes[0]!.ws;
    const redis = rig.redis.client();
    const used = async () => Number(/used_memory:(\d+)/.exec(await redis.info('memory'))?.[1]);
    const before = await used();
    for (let i = 0; i < sessions; i++) {
      const ws = await connect(base, `idle${i}`, 'owner', 'owner');
      await seed(ws, `idle${i}`);
      ws.terminate();
    }
    const perSession = (await used() - before) / sessions;
    const mid = await used();
    await throughput([base], [], undefined, 1, ops);
    const per1000 = ((await used()) - mid) / (ops / 1000);
    return { perSession, per1000 };
  } finally {
    await rig.stop();
  }
}

/** RSS of a process, in KB (Linux /proc). */
function rssKb(pid: number): number {
  return Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN);
}

/** A cluster node's RSS growth per idle member, with `count` joined to one session. */
async function memoryPerConnection(count: number): Promise<number> {
  const rig = await new Rig().start(1, false, false);
  try {
    const node = rig.nodes[0]!;
    const owner = await connect(node.ws, 'held', 'owner', 'owner');
    await seed(owner, 'held');
    await sleep(500);
    const before = rssKb(node.child.pid!);
    const members: WebSocket[] = [];
    for (let start = 0; start < count; start += 100) {
      members.push(...(await Promise.all(Array.from({ length: Math.min(100, count - start) }, (_, k) => connect(node.ws, 'held', `m${start + k}`, 'viewer')))));
    }
    await sleep(1000);
    const kb = (rssKb(node.child.pid!) - before) / count;
    for (const m of [owner, ...members]) m.terminate();
    return kb;
  } finally {
    await rig.stop();
  }
}

/** Runs the cluster suite; `--quick` shortens every phase. */
export async function run(args: string[]): Promise<void> {
  if (!HAS_REDIS) {
    process.stdout.write(`\nbench cluster: skipped, ${NO_REDIS}\n`);
    return;
  }
  const quick = args.includes('--quick');
  // `--only=fanout,ops,resume,memory` runs those parts alone (all of them by default).
  const only = args.find((a) => a.startsWith('--only='))?.slice('--only='.length).split(',');
  const part = (name: string) => !only || only.includes(name);
  const members = 10;
  const setups = [
    ['durable-always', false, 'always', false], ['durable-everysec', false, 'everysec', false],
    ['gesture-always', true, 'always', false], ['gesture-everysec', true, 'everysec', false], ['gesture-channels', true, 'always', true],
  ] as const;
  // `--setups=gesture-always,…` runs those fan-out setups alone (all five by default).
  const chosen = args.find((a) => a.startsWith('--setups='))?.slice('--setups='.length).split(',');
  for (const [, gesture, appendfsync, channels] of part('fanout') ? setups.filter(([name]) => !chosen || chosen.includes(name)) : []) {
    const runs: Record<Path, Latency>[] = [];
    for (let i = 0; i < (quick ? 1 : 3); i++) runs.push(await fanOut(members, quick ? 4 : 10, gesture, appendfsync, channels));
    const m = (path: Path, key: 'p50' | 'p99') => median(runs.map((r) => r[path][key]));
    const hop = m('cluster', 'p99') - m('single', 'p99');
    printTable(`Cluster fan-out: one fader at ${HZ} Hz, ${gesture ? 'in-gesture values (pub/sub)' : 'every value a durable op (Lua append + pub/sub)'}, Redis appendfsync ${appendfsync}${channels ? ', channels on a second Redis (OUTBOARD_REDIS_CHANNELS_URL)' : ''}; owner on node A, ${members} members on node B; beside one SQLite node, the bare-ws floor and a bare Redis pub/sub floor, frames interleaved; ms, median of ${runs.length} run(s); machine load average ${loadavg()[0]!.toFixed(2)}`,
      ['path', 'p50', 'p99', 'p99 vs floor', 'samples per run', 'target: Redis hop <= 1 ms at p99'],
      [
        ['cluster (A -> Redis -> B)', m('cluster', 'p50'), m('cluster', 'p99'), ratio(m('cluster', 'p99') / m('floor', 'p99')), String(Math.min(...runs.map((r) => r.cluster.samples))), `${hop.toFixed(2)} ms: ${hop <= 1 ? 'met' : 'MISSED'}`],
        ['single SQLite node', m('single', 'p50'), m('single', 'p99'), ratio(m('single', 'p99') / m('floor', 'p99')), String(Math.min(...runs.map((r) => r.single.samples))), ''],
        ['floor (bare ws)', m('floor', 'p50'), m('floor', 'p99'), '1x', String(Math.min(...runs.map((r) => r.floor.samples))), ''],
        ['Redis floor (PUBLISH -> 1 subscriber, no relay)', m('redis', 'p50'), m('redis', 'p99'), ratio(m('redis', 'p99') / m('floor', 'p99')), String(Math.min(...runs.map((r) => r.redis.samples))), ''],
      ]);
    process.stdout.write(`Redis hop at p99 per run (cluster minus single node; floor p99, Redis floor p99): ${runs.map((r) => `${(r.cluster.p99 - r.single.p99).toFixed(2)} ms (${r.floor.p99.toFixed(2)}, ${r.redis.p99.toFixed(2)})`).join(', ')}\n`);
  }

  if (part('ops')) {
    const sessions = 20;
    const total = quick ? 10_000 : 40_000;
    const rounds = quick ? 1 : 5;
    const single = await new Rig().start(0, true, false);
    const one = await new Rig().start(1, false, false);
    const two = await new Rig().start(2, false, false);
    let rows: (string | number)[][];
    let perRound = '';
    try {
      // A first, unmeasured run per setup: a fresh process spends its first seconds compiling (V8's threads count as
      // its CPU). Then rounds, the setups taking turns within each, so the machine's other work drifting over
      // the minutes lands on all three alike; each figure is the median of the rounds.
      const setups = [
        [[single.single!.ws], [single.single!.child.pid!], undefined],
        [[one.nodes[0]!.ws], [one.nodes[0]!.child.pid!], one.redis.pid],
        [two.nodes.map((n) => n.ws), two.nodes.map((n) => n.child.pid!), two.redis.pid],
      ] as const;
      // Every process gets the same warm-up, `total` ops each (so two nodes get twice the ops of one): compiling is a
      // cost per process, once, not per op, and a node warmed on half the ops would still be compiling in round one.
      for (const [bases, pids, redisPid] of setups) await throughput(bases, pids, redisPid, sessions, total * pids.length, 'warm');
      const runs: Throughput[][] = setups.map(() => []);
      for (let i = 0; i < rounds; i++) {
        for (const [k, [bases, pids, redisPid]] of setups.entries()) runs[k]!.push(await throughput(bases, pids, redisPid, sessions, total, `r${i}_`));
      }
      const [s, c1, c2] = runs.map((r) => ({ opsPerSecond: median(r.map((t) => t.opsPerSecond)), batch: median(r.map((t) => t.batch)), nodeCpu: median(r.map((t) => t.nodeCpu)), mainCpu: median(r.map((t) => t.mainCpu)), redisCpu: median(r.map((t) => t.redisCpu)) })) as [Throughput, Throughput, Throughput];
      perRound = runs[0]!.map((single, i) => `${ratio(runs[1]![i]!.nodeCpu / single.nodeCpu)} / ${ratio(runs[2]![i]!.nodeCpu / single.nodeCpu)}`).join(', ');
      const verdict = (t: Throughput) => `${ratio(t.nodeCpu / s.nodeCpu)}: ${t.nodeCpu <= 1.5 * s.nodeCpu ? 'met' : 'MISSED'}`;
      rows = [
        ['single SQLite node', s.opsPerSecond, s.batch, s.nodeCpu * 1000, s.mainCpu * 1000, '-', ''],
        ['cluster, 1 node', c1.opsPerSecond, c1.batch, c1.nodeCpu * 1000, c1.mainCpu * 1000, c1.redisCpu * 1000, verdict(c1)],
        ['cluster, 2 nodes', c2.opsPerSecond, c2.batch, c2.nodeCpu * 1000, c2.mainCpu * 1000, c2.redisCpu * 1000, verdict(c2)],
      ];
    } finally {
      for (const rig of [single, one, two]) await rig.stop();
    }
    printTable(`Durable acked ops: ${total} ops over ${sessions} sessions, 50 in flight each, median of ${rounds} round(s); CPU per acked op (us) from /proc, net of each process's idle CPU (2 cores here: compare CPU per op, not ops/s); machine load average ${loadavg()[0]!.toFixed(2)}`,
      ['setup', 'acked ops/s', 'ops per commit (SQLite transaction / append script)', 'node CPU us/op (all nodes)', 'of it main threads', 'Redis CPU us/op', 'node CPU vs single (target <= 1.5x)'], rows);
    process.stdout.write(`node CPU vs single per round (1 node / 2 nodes): ${perRound}\n`);
  }
  if (part('resume')) {
    const times = (await resumes(quick ? 3 : 10)).sort((x, y) => x - y);
    const p99 = percentile(times, 99);
    printTable(`Resume after kill -9 of a node: lost socket -> SYNCED on the other node, ${times.length} kills, a writer at 200 ops/s`,
      ['kills', 'p50 ms', 'p99 ms', 'max ms', 'target p99 < 2000 ms'],
      [[String(times.length), percentile(times, 50), p99, times[times.length - 1]!, p99 < 2000 ? 'met' : 'MISSED']]);
  }
  if (part('memory')) {
    const mem = await memory(quick ? 50 : 200, quick ? 5000 : 20_000);
    const perConnection = await memoryPerConnection(999);
    printTable('Memory (Redis: INFO used_memory growth; node: RSS growth)', ['what', 'bytes'], [
      ['Redis, per idle session (meta hash with its snapshot, 2-op log, ids)', mem.perSession],
      ['Redis, per 1,000 logged ops (stream entries + dedup ids, before trimming)', mem.per1000],
      ['cluster node, per idle member (999 joined)', perConnection * 1024],
    ]);
  }
}
