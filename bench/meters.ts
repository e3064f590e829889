/**
 * `outboard bench meters`: what levels cost the relay (issue 11). One audio
 * host sends METERS frames at 30 Hz for 16 tracks and the master bus, the
 * way the app does, to 10 surfaces; the relay's CPU over that time is
 * compared with the same connections sitting idle, and each frame's delivery
 * time (host send -> surface receive, one clock) is reported.
 */
import { readFileSync } from 'node:fs';
import type WebSocket from 'ws';
import { METERS_PER_SECOND } from '../src/protocol/messages.ts';
import { connect, connectMany, seed, SESSION, sleep, startServer, stopServer, type Server } from './relay.ts';
import { summarize } from './stats.ts';
import { printTable } from './table.ts';

const TRACKS = 16;
const SURFACES = 10;
/** Clock ticks per second of /proc/<pid>/stat's utime and stime (USER_HZ; 100 on Linux). */
const TICKS_PER_SECOND = 100;

/** CPU seconds the process has used so far (user + system). */
function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may hold spaces) start at ")"; utime and stime are fields 14 and 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
}

/** One frame as the app builds it (`metersData`): [peak, rms] per track in dBFS, rounded to 0.1. */
function metersFrame(n: number): string {
  const levels: Record<string, [number, number]> = { master: [-6 - (n % 10) / 10, -12] };
  for (let t = 0; t < TRACKS; t++) levels[`t${t}`] = [-12 - ((n + t) % 40) / 10, -18 - t / 10];
  return JSON.stringify({ type: 'METERS', id: `mt_${n}`, session_id: SESSION, data: { at: performance.now(), step: n % 16, levels } });
}

/** Relay CPU share (of one core) over `seconds`, with the host sending levels or idle; delivery times in ms. */
async function measure(server: Server, host: WebSocket, surfaces: WebSocket[], seconds: number, send: boolean): Promise<{ cpu: number; delivery: number[] }> {
  const delivery: number[] = [];
  const listener = (data: WebSocket.RawData) => {
    const text = String(data);
    if (!text.startsWith('{"type":"METERS"')) return;
    delivery.push(performance.now() - (JSON.parse(text) as { data: { at: number } }).data.at);
  };
  for (const s of surfaces) s.on('message', listener);
  const pid = server.child.pid!;
  const cpu0 = cpuSeconds(pid);
  const t0 = performance.now();
  const frames = Math.round(seconds * METERS_PER_SECOND);
  for (let n = 0; n < frames; n++) {
    if (send) host.send(metersFrame(n));
    // Paced against the start, so a late timer does not stretch the run.
    const next = t0 + ((n + 1) * 1000) / METERS_PER_SECOND;
    await sleep(Math.max(0, next - performance.now()));
  }
  const cpu = (cpuSeconds(pid) - cpu0) / ((performance.now() - t0) / 1000);
  await sleep(100);
  for (const s of surfaces) s.off('message', listener);
  return { cpu, delivery };
}

/** Runs the suite; `--quick` measures 3 s instead of 10. */
export async function run(args: string[]): Promise<void> {
  const seconds = args.includes('--quick') ? 3 : 10;
  const server = await startServer('relay');
  try {
    const host = await connect(server, 'owner', '127.0.0.1');
    await seed(host);
    const surfaces = await connectMany(server, SURFACES);
    await sleep(300);
    // Warm the JIT, then idle and loaded, measured alike.
    await measure(server, host, surfaces, 1, true);
    const idle = await measure(server, host, surfaces, seconds, false);
    const loaded = await measure(server, host, surfaces, seconds, true);
    const lat = summarize(loaded.delivery);
    const frameBytes = metersFrame(0).length;
    printTable(`Relay with meters: 1 audio host sending METERS at ${METERS_PER_SECOND} Hz (${TRACKS} tracks + master, ${frameBytes} B a frame) to ${SURFACES} surfaces, ${seconds} s each; CPU as a share of one core (/proc utime+stime)`,
      ['phase', 'relay CPU %', 'frames delivered', 'delivery p50 ms', 'delivery p99 ms'],
      [
        ['idle (same connections, no meters)', idle.cpu * 100, '0', '', ''],
        ['meters', loaded.cpu * 100, String(lat.samples), lat.p50, lat.p99],
        ['added by meters', (loaded.cpu - idle.cpu) * 100, '', '', ''],
      ]);
    for (const s of surfaces) s.terminate();
    host.terminate();
  } finally {
    await stopServer(server);
  }
}
