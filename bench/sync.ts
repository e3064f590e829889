/**
 * `outboard bench sync` (issue 12): time from the relay coming back to every
 * device showing Synced, with 1,000 edits queued on the tablet while it was
 * down. Three devices (a laptop that owns the session, a tablet, a phone) run
 * the real sync client with its real backoff against a relay child process,
 * which is SIGKILLed, left down for `--down-s` seconds (15 by default: long
 * enough for the backoff to grow), and restarted on the same port and data.
 * Several runs (`--runs`, 5), p50 and p95; `--plain-backoff` measures the
 * exponential backoff alone, as before. A printed table, not a test.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { addPluginOp, addTrackOps, batch, op } from '../src/app/op-builders.ts';
import { DEFAULT_BACKOFF, type BackoffOptions } from '../src/sync/backoff.ts';
import { serveArgs } from '../server/package-info.ts';
import { RELAY_SECRET } from './secret.ts';
import { Device, offlineSession } from './sync-device.ts';
import { median } from './stats.ts';
import { printTable } from './table.ts';

const EDITS = 1000;

/** A port nobody listens on now, kept for every restart of one run's relay. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

function startRelay(port: number, dir: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, serveArgs('--quiet'), {
    env: { ...process.env, HOST: '127.0.0.1', PORT: String(port), OUTBOARD_DATA_DIR: dir, OUTBOARD_JWT_SECRET: RELAY_SECRET, OUTBOARD_LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const reap = () => child.kill('SIGKILL');
  process.once('exit', reap);
  child.once('exit', () => process.off('exit', reap));
  return new Promise((resolve, reject) => {
    let log = '';
    const onData = (c: Buffer) => {
      log += c.toString();
      if (log.includes('relay listening')) resolve(child);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`relay exited ${code}: ${log}`)));
  });
}

function kill(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

/** One run: answers seconds from the relay listening again to all three devices Synced with nothing waiting. */
async function measureOnce(downMs: number, backoff: BackoffOptions): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'outboard-bench-sync-'));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  let relay = await startRelay(port, dir);
  const options = { backoff };
  const laptop = new Device('lap', offlineSession('bench_sync'));
  const { trackId, ops } = addTrackOps('audio', 'Bass');
  laptop.edit(batch([...ops, addPluginOp(trackId, 'filter')]));
  const tablet = new Device('tab');
  const phone = new Device('phone');
  const devices = [laptop, tablet, phone];
  try {
    await laptop.connect(base, 'bench_sync', 'ana', 'owner', options);
    await laptop.settled();
    await tablet.connect(base, 'bench_sync', 'tab', 'editor', options);
    await phone.connect(base, 'bench_sync', 'phone', 'editor', options);
    for (const d of devices) await d.until(() => d.sync?.status.state === 'synced' && d.doc?.tracks.length === 1, 'joined', 20_000);

    await kill(relay);
    for (const d of devices) await d.until(() => d.sync?.status.state !== 'synced', 'sees the relay go', 20_000);
    // Two-field updates never compact: 1,000 ops really wait.
    for (let i = 1; i <= EDITS; i += 1) tablet.edit(op('UPDATE_TRACK', { track_id: trackId, changes: { gain_db: -(i % 60), pan: (i % 100) / 100 } }));
    await new Promise((r) => setTimeout(r, downMs));

    relay = await startRelay(port, dir);
    const back = performance.now();
    const pan = (EDITS % 100) / 100;
    await Promise.all(devices.map((d) => d.until(
      () => d.sync?.status.state === 'synced' && d.sync.status.waiting === 0 && d.doc?.tracks[0]?.pan === pan,
      'synced with the tablet\'s edits', 120_000,
    )));
    return (performance.now() - back) / 1000;
  } finally {
    for (const d of devices) d.stop();
    await kill(relay);
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Reads `--name=value` from the bench's flags. */
function flag(args: string[], name: string, fallback: number): number {
  const hit = args.find((a) => a.startsWith(`--${name}=`));
  const value = hit ? Number(hit.slice(name.length + 3)) : fallback;
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

/** Runs the suite and prints its table. */
export async function run(args: string[]): Promise<void> {
  const runs = flag(args, 'runs', 5);
  const downMs = flag(args, 'down-s', 15) * 1000;
  // `--plain-backoff`: the exponential backoff alone, without probing sooner after a relay that was just there (the before).
  const plain = args.includes('--plain-backoff');
  const { recentCapMs: _cap, ...exponential } = DEFAULT_BACKOFF;
  const backoff = plain ? exponential : DEFAULT_BACKOFF;
  const times: number[] = [];
  for (let i = 0; i < runs; i += 1) times.push(await measureOnce(downMs, backoff));
  const sorted = [...times].sort((a, b) => a - b);
  // Nearest rank: with 5 runs, p95 is the slowest.
  const p95 = sorted[Math.ceil(0.95 * sorted.length) - 1]!;
  printTable(`sync: relay back -> 3 devices Synced, ${EDITS} edits queued, relay down ${downMs / 1000} s (${runs} runs${plain ? ', plain backoff' : ''})`,
    ['measure', 'seconds'], [
      ['p50', median(times)],
      ['p95', p95],
      ['runs', times.map((t) => t.toFixed(2)).join(' ')],
      ['target p95', 5],
    ]);
}
