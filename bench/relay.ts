/**
 * `outboard bench relay` (SPEC §9): fan-out latency of one fader at 60 Hz to
 * 1, 10 and 100 members beside a bare `ws` broadcast server (the floor), both
 * in their own child process and driven by the same clients, in several runs
 * on fresh servers (one run's p99 at 1 or 10 members rests on a handful of
 * hiccups of this VM, so the verdict is on the median run); durable acked
 * ops/s for one session with WAL at synchronous=NORMAL and =FULL; memory per
 * idle connection with 1000 open. A printed table, not a test.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { WebSocket } from 'ws';
import { mintToken } from '../server/auth/tokens.ts';
import { RELAY_NODE_FLAGS, serveArgs } from '../server/package-info.ts';
import { median, summarize, type Latency } from './stats.ts';
import { printTable, ratio } from './table.ts';

/** The JWT secret the bench relays run with (suites mint their own tokens with it). */
export const SECRET = 'bench-secret-0123456789abcdef0123456789';
export const SESSION = 'bench';
const SIZES = [1, 10, 100] as const;
export const HZ = 60;
const WARMUP_ROUNDS = 2;

export interface Server {
  readonly kind: 'relay' | 'floor';
  readonly child: ChildProcess;
  readonly port: number;
  readonly dir?: string;
}

/** The floor server, compiled beside this module (the bench runs from the compiled CLI only). */
export const FLOOR = fileURLToPath(new URL('./relay-floor.js', import.meta.url));

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let nextPort = 30000 + Math.floor(Math.random() * 10000);

export async function startServer(kind: 'relay' | 'floor', env: Record<string, string> = {}): Promise<Server> {
  const port = nextPort++;
  const dir = kind === 'relay' ? mkdtempSync(join(tmpdir(), 'outboard-bench-')) : undefined;
  // The floor runs with the relay's V8 flags: the same runtime, so the difference is the relay's own work.
  const args = kind === 'relay' ? serveArgs('--quiet') : [...RELAY_NODE_FLAGS, FLOOR, String(port)];
  const child = spawn(process.execPath, args, {
    env: { ...process.env, HOST: '127.0.0.1', PORT: String(port), OUTBOARD_DATA_DIR: dir ?? '', OUTBOARD_JWT_SECRET: SECRET, OUTBOARD_LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  // A bench cut short (Ctrl-C, `| head`) must not leave servers behind.
  const reap = () => child.kill('SIGKILL');
  process.once('exit', reap);
  child.once('exit', () => process.off('exit', reap));
  const exited = new Promise<never>((_, reject) => child.on('exit', (code) => reject(new Error(`${kind} exited ${code}`))));
  exited.catch(() => undefined);
  if (kind === 'relay') await Promise.race([waitHealthy(port), exited]);
  else await Promise.race([exited, new Promise<void>((resolve) => child.stdout?.on('data', (c: Buffer) => /listening/.test(c.toString()) && resolve()))]);
  return { kind, child, port, ...(dir ? { dir } : {}) };
}

async function waitHealthy(port: number): Promise<void> {
  for (let i = 0; i < 400; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/health`)).ok) return;
    } catch {
      // not up yet
    }
    await sleep(50);
  }
  throw new Error('relay did not become healthy');
}

export async function stopServer(s: Server): Promise<void> {
  const exited = new Promise((r) => s.child.on('exit', r));
  s.child.kill('SIGTERM');
  await exited;
  if (s.dir) rmSync(s.dir, { recursive: true, force: true });
}

/** Opens one client socket (from `address`), resolving when it is usable (SYNCED for the relay). */
export async function connect(s: Server, role: 'owner' | 'viewer', address: string): Promise<WebSocket> {
  const token = await mintToken(SECRET, { user: `${role}-${address}`, session: SESSION, role, ttlSeconds: 3600 });
  const ws = new WebSocket(`ws://127.0.0.1:${s.port}/ws?session=${SESSION}`, { headers: { Authorization: `Bearer ${token}` }, localAddress: address, perMessageDeflate: false });
  await new Promise<void>((resolve, reject) => {
    ws.once('error', reject);
    if (s.kind === 'floor') ws.once('open', () => resolve());
    else ws.on('message', function onMessage(data) {
      if (String(data).includes('"SYNCED"')) {
        ws.off('message', onMessage);
        resolve();
      }
    });
  });
  return ws;
}

/** Loopback source address of client `n`: 10 per address (the relay's per-IP limit), 127.0.1.2 upwards. */
const addressOf = (n: number) => `127.0.${1 + Math.floor(n / 10 / 250)}.${2 + (Math.floor(n / 10) % 250)}`;

export async function connectMany(s: Server, count: number): Promise<WebSocket[]> {
  const out: WebSocket[] = [];
  for (let start = 0; start < count; start += 100) {
    out.push(...(await Promise.all(Array.from({ length: Math.min(100, count - start) }, (_, k) => connect(s, 'viewer', addressOf(start + k))))));
  }
  return out;
}

export async function seed(owner: WebSocket): Promise<void> {
  const ops = [
    { id: 'seed_t', type: 'ADD_TRACK', session_id: SESSION, data: { track: { id: 't1', name: 'Bench' } } },
    { id: 'seed_p', type: 'ADD_PLUGIN', session_id: SESSION, data: { track_id: 't1', plugin: { id: 'p1', type: 'filter' } } },
  ];
  let listener: ((d: WebSocket.RawData) => void) | undefined;
  const acked = new Promise<void>((resolve) => owner.on('message', (listener = (d) => String(d).includes('"seed_p"') && resolve())));
  for (const op of ops) owner.send(JSON.stringify(op));
  await acked;
  // Not left attached: it would decode every later ack in the same process that times the relay's fan-out.
  owner.off('message', listener!);
}

type Kind = 'relay' | 'floor';

/**
 * One second of one fader at 60 Hz into each server, interleaved: a value to
 * the relay, half a frame later a value to the floor, and so on. A stall of
 * the machine (other work on it) then lands on both alike. Latencies in ms.
 */
async function round(senders: Record<Kind, WebSocket>, members: Record<Kind, WebSocket[]>, base: number, samples: Record<Kind, number[]> | undefined, gesture: boolean): Promise<void> {
  const sentAt = new Map<number, number>();
  const listeners = (kind: Kind) => (data: WebSocket.RawData) => {
    const frame = JSON.parse(String(data)) as { type?: string; data?: { parameter_value?: number } };
    if (frame.type !== 'PLUGIN_PARAMETER') return;
    const t0 = sentAt.get(frame.data?.parameter_value ?? -1);
    if (t0 !== undefined) samples?.[kind].push(performance.now() - t0);
  };
  const on = { relay: listeners('relay'), floor: listeners('floor') };
  for (const kind of ['relay', 'floor'] as const) for (const m of members[kind]) m.on('message', on[kind]);
  for (let i = 0; i < HZ * 2; i++) {
    const kind: Kind = i % 2 === 0 ? 'relay' : 'floor';
    const value = base + i;
    sentAt.set(value, performance.now());
    senders[kind].send(JSON.stringify({
      id: `f_${value}`, type: 'PLUGIN_PARAMETER', session_id: SESSION, ...(gesture ? { ephemeral: true } : {}),
      data: { track_id: 't1', plugin_id: 'p1', parameter_id: 'cutoff', parameter_value: value },
    }));
    await sleep(1000 / HZ / 2);
  }
  await sleep(100);
  for (const kind of ['relay', 'floor'] as const) for (const m of members[kind]) m.off('message', on[kind]);
}

/**
 * Fan-out latency of the relay and the floor, both running at once, driven
 * frame by frame in turn (see {@link round}). The first rounds warm the JIT
 * and are not measured. `gesture` sends the values as the app does while a
 * fader moves (ephemeral: fanned out, not logged); otherwise every value is a
 * durable op, fanned out only after its commit.
 */
async function fanOut(rounds: number, gesture: boolean): Promise<Map<number, { relay: Latency; floor: Latency }>> {
  const relay = await startServer('relay');
  const floor = await startServer('floor');
  const results = new Map<number, { relay: Latency; floor: Latency }>();
  try {
    const senders = { relay: await connect(relay, 'owner', '127.0.0.1'), floor: await connect(floor, 'owner', '127.0.0.1') };
    await seed(senders.relay);
    let base = 100;
    for (const size of SIZES) {
      const members = { relay: await connectMany(relay, size), floor: await connectMany(floor, size) };
      const samples = { relay: [] as number[], floor: [] as number[] };
      await sleep(200);
      // A hiccup hits every member at once, so what counts is frames, not samples: fewer members, more rounds.
      const sizeRounds = size === 1 ? rounds * 3 : size === 10 ? rounds * 2 : rounds;
      for (let r = 0; r < sizeRounds + WARMUP_ROUNDS; r++) {
        await round(senders, members, base, r < WARMUP_ROUNDS ? undefined : samples, gesture);
        base += HZ * 2;
      }
      results.set(size, { relay: summarize(samples.relay), floor: summarize(samples.floor) });
      for (const m of [...members.relay, ...members.floor]) m.terminate();
      await sleep(200);
    }
    senders.relay.terminate();
    senders.floor.terminate();
  } finally {
    await stopServer(relay);
    await stopServer(floor);
  }
  return results;
}

/** Durable acked ops/s for one session: one client keeping `window` ops in flight. */
async function throughput(sync: 'normal' | 'full', total: number): Promise<number> {
  const server = await startServer('relay', { OUTBOARD_SYNC: sync, OUTBOARD_MAX_MESSAGES_PER_SECOND: '10000000' });
  try {
    const owner = await connect(server, 'owner', '127.0.0.1');
    await seed(owner);
    const window = 500;
    let sent = 0;
    let acked = 0;
    const send = () => {
      const v = 20 + (sent % 19000);
      owner.send(JSON.stringify({ id: `o_${sent++}`, type: 'PLUGIN_PARAMETER', session_id: SESSION, data: { track_id: 't1', plugin_id: 'p1', parameter_id: 'cutoff', parameter_value: v } }));
    };
    const t0 = performance.now();
    await new Promise<void>((resolve) => {
      owner.on('message', (data) => {
        if (!String(data).startsWith('{"type":"ack"')) return;
        acked++;
        if (acked === total) resolve();
        else if (sent < total) send();
      });
      for (let i = 0; i < window; i++) send();
    });
    const ops = total / ((performance.now() - t0) / 1000);
    owner.terminate();
    return ops;
  } finally {
    await stopServer(server);
  }
}

/** Time from sending one fader value to its ack (the op is durable then), at 60 Hz. */
async function ackLatency(sync: 'normal' | 'full', seconds: number): Promise<Latency> {
  const server = await startServer('relay', { OUTBOARD_SYNC: sync });
  try {
    const owner = await connect(server, 'owner', '127.0.0.1');
    await seed(owner);
    const sentAt = new Map<string, number>();
    const samples: number[] = [];
    owner.on('message', (data) => {
      const frame = JSON.parse(String(data)) as { type?: string; id?: string };
      const t0 = frame.type === 'ack' ? sentAt.get(frame.id ?? '') : undefined;
      if (t0 !== undefined) samples.push(performance.now() - t0);
    });
    const frames = Math.round(seconds * HZ);
    for (let i = 0; i < frames + HZ; i++) {
      const id = `a_${i}`;
      // The first second warms up and is not measured.
      if (i >= HZ) sentAt.set(id, performance.now());
      owner.send(JSON.stringify({ id, type: 'PLUGIN_PARAMETER', session_id: SESSION, data: { track_id: 't1', plugin_id: 'p1', parameter_id: 'cutoff', parameter_value: 20 + i } }));
      await sleep(1000 / HZ);
    }
    await sleep(200);
    owner.terminate();
    return summarize(samples);
  } finally {
    await stopServer(server);
  }
}

function rssKb(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(match?.[1] ?? NaN);
}

/** Memory per idle connection: RSS growth of the server process with 1000 connections open. */
async function memoryPerConnection(kind: 'relay' | 'floor', count: number): Promise<number> {
  const server = await startServer(kind);
  try {
    const owner = await connect(server, 'owner', '127.0.0.1');
    if (kind === 'relay') await seed(owner);
    await sleep(500);
    const before = rssKb(server.child.pid!);
    const members = await connectMany(server, count - 1);
    await sleep(1000);
    const after = rssKb(server.child.pid!);
    for (const m of members) m.terminate();
    owner.terminate();
    return (after - before) / (count - 1);
  } finally {
    await stopServer(server);
  }
}

/** Runs the relay suite; `--quick` shortens every phase and runs the fan-out once. */
export async function run(args: string[]): Promise<void> {
  const quick = args.includes('--quick');
  const rounds = quick ? 2 : 8;
  const runs = quick ? 1 : 3;
  for (const gesture of [false, true]) {
    const results: Map<number, { relay: Latency; floor: Latency }>[] = [];
    for (let i = 0; i < runs; i++) results.push(await fanOut(rounds, gesture));
    const what = gesture ? 'in-gesture values (ephemeral, as the app sends while a fader moves)' : 'every value a durable op (fanned out after its commit)';
    printTable(`Relay fan-out: one fader at ${HZ} Hz, ${what}; ${runs} run(s) on fresh servers, ${rounds * 3} / ${rounds * 2} / ${rounds} s each for 1 / 10 / 100 members, frames interleaved with the floor's; latency in ms, median of the runs (each server in its own process; floor = bare ws broadcast)`,
      ['members', 'relay p50', 'relay p99', 'floor p50', 'floor p99', 'p99 relay/floor per run', 'median ratio', 'frames per run', 'target <= 1.5x'],
      SIZES.map((n) => {
        const at = results.map((r) => r.get(n)!);
        const ratios = at.map(({ relay, floor }) => relay.p99 / floor.p99);
        const verdict = median(ratios) <= 1.5 ? 'met' : 'MISSED';
        return [String(n), median(at.map((r) => r.relay.p50)), median(at.map((r) => r.relay.p99)), median(at.map((r) => r.floor.p50)), median(at.map((r) => r.floor.p99)),
          ratios.map(ratio).join(' '), ratio(median(ratios)), String(Math.min(...at.map((r) => r.relay.samples)) / n), verdict];
      }));
  }

  const total = quick ? 5000 : 20000;
  const normal = await throughput('normal', total);
  const full = await throughput('full', total);
  const ackNormal = await ackLatency('normal', quick ? 3 : 10);
  const ackFull = await ackLatency('full', quick ? 3 : 10);
  printTable(`Relay durable acks: ${total} ops, one session, 500 in flight; ack latency of one fader at ${HZ} Hz (ack sent after the group commit)`,
    ['OUTBOARD_SYNC', 'acked ops/s', 'ack p50 ms', 'ack p99 ms', 'an ack survives', 'target >= 5000 ops/s'],
    [
      ['normal (default)', normal, ackNormal.p50, ackNormal.p99, 'relay process crash (SIGKILL)', normal >= 5000 ? 'met' : 'MISSED'],
      ['full', full, ackFull.p50, ackFull.p99, 'also OS crash / power loss (fsync per commit)', full >= 5000 ? 'met' : 'MISSED'],
    ]);

  const relayKb = await memoryPerConnection('relay', 1000);
  const floorKb = await memoryPerConnection('floor', 1000);
  printTable('Memory per idle connection, 1000 open (server RSS growth / connections)',
    ['server', 'KB per connection', 'target <= 50 KB'],
    [['relay', relayKb, relayKb <= 50 ? 'met' : 'MISSED'], ['floor (bare ws)', floorKb, '']]);
}
