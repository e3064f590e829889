/**
 * Relays for the tests and the benches: a real relay (in-process, or a child process through the
 * CLI) on a loopback port with its own SQLite data dir, and a small WebSocket
 * client that records every frame.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join as pathJoin } from 'node:path';
import { WebSocket, type ClientOptions } from 'ws';
import { mintToken } from '../server/auth/tokens.ts';
import { loadConfig } from '../server/config.ts';
import { serveArgs } from '../server/package-info.ts';
import { createLogger } from '../server/log.ts';
import { createRelay, type Relay } from '../server/relay.ts';
import type { Role } from '../src/protocol/messages.ts';
import { RELAY_SECRET } from './secret.ts';

/** The secret the relays started here sign and check tokens with. */
export const SECRET = RELAY_SECRET;

/** A fresh temporary data dir. */
export function tempDir(): string {
  return mkdtempSync(pathJoin(tmpdir(), 'outboard-relay-'));
}

/** Signs a test token (HS256 with {@link SECRET}). */
export function token(session: string, user: string, role: Role, ttlSeconds = 3600): Promise<string> {
  return mintToken(SECRET, { session, user, role, ttlSeconds });
}

export interface TestRelay {
  readonly relay: Relay;
  readonly url: string;
  readonly ws: string;
  readonly dataDir: string;
  stop(): Promise<void>;
}

/** Starts an in-process relay on 127.0.0.1:<any>; `env` overrides settings. */
export async function startRelay(env: Record<string, string> = {}, dataDir = tempDir()): Promise<TestRelay> {
  const config = loadConfig({
    HOST: '127.0.0.1', PORT: '0', OUTBOARD_DATA_DIR: dataDir, OUTBOARD_JWT_SECRET: SECRET,
    OUTBOARD_DIST_DIR: pathJoin(dataDir, 'dist'), ...env,
  });
  const relay = createRelay(config, { log: createLogger('silent') });
  const url = await relay.start();
  return {
    relay, url, ws: url.replace('http', 'ws'), dataDir,
    stop: () => relay.stop(),
  };
}

/** Removes a data dir (after the relay stopped). */
export function cleanup(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** A relay process started through the CLI, as `npm start` runs it. */
export interface ChildRelay {
  readonly child: ChildProcess;
  readonly url: string;
  readonly ws: string;
  readonly exited: Promise<number | null>;
}

/** Spawns the compiled CLI's `serve` (what `npm start` runs) with `dataDir` on `port` (0: any free one); resolves once it listens. */
export async function spawnRelay(dataDir: string, port = 0, env: Record<string, string> = {}): Promise<ChildRelay> {
  const child = spawn(process.execPath, serveArgs('--quiet'), {
    env: { ...process.env, HOST: '127.0.0.1', PORT: String(port), OUTBOARD_DATA_DIR: dataDir, OUTBOARD_JWT_SECRET: SECRET, OUTBOARD_LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  let log = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`relay did not start: ${log}`)), 20_000);
    const onData = (chunk: Buffer) => {
      log += chunk.toString();
      const listening = /"url":"(http:\/\/[^"]+)"[^\n]*relay listening/.exec(log);
      if (listening) {
        clearTimeout(timer);
        resolve(listening[1]!);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (c: Buffer) => (log += c.toString()));
    void exited.then((code) => reject(new Error(`relay exited (${code}): ${log}`)));
  });
  return { child, url, ws: url.replace('http', 'ws'), exited };
}

export type Frame = Record<string, unknown> & { type?: string; id?: string; seq?: number; data?: Record<string, unknown> };

/** A recording WebSocket client. */
export class Client {
  readonly frames: Frame[] = [];
  private waiters: { match: (f: Frame) => boolean; resolve: (f: Frame) => void }[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;

  constructor(readonly socket: WebSocket) {
    socket.on('message', (data, isBinary) => {
      if (isBinary) return;
      const frame = JSON.parse(data.toString()) as Frame;
      this.frames.push(frame);
      this.waiters = this.waiters.filter((w) => (w.match(frame) ? (w.resolve(frame), false) : true));
    });
    this.closed = new Promise((resolve) => socket.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  }

  /** The first recorded or future frame matching `match`. */
  next(match: (f: Frame) => boolean, timeoutMs = 5000): Promise<Frame> {
    const seen = this.frames.find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out; frames: ${JSON.stringify(this.frames).slice(0, 800)}`)), timeoutMs);
      this.waiters.push({ match, resolve: (f) => (clearTimeout(timer), resolve(f)) });
    });
  }

  /** Sends an object as JSON (or a raw string). */
  send(frame: unknown): void {
    this.socket.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  /** Waits for the ack or error answering client message `id`. */
  answer(id: string, timeoutMs = 5000): Promise<Frame> {
    return this.next((f) => (f.type === 'ack' || f.type === 'error') && f.id === id, timeoutMs);
  }

  close(): void {
    this.socket.close();
  }
}

/** Options for {@link connect}. */
export interface ConnectOptions extends ClientOptions {
  readonly token?: string;
  readonly since?: number;
  /** Token in the query string instead of the Authorization header. */
  readonly query?: boolean;
}

/** Opens `/ws?session=<id>` and resolves once SYNCED arrived. */
export async function join(base: string, session: string, options: ConnectOptions = {}): Promise<Client> {
  const client = await open(base, session, options);
  await client.next((f) => f.type === 'SYNCED');
  return client;
}

/** Opens a socket; resolves on open, rejects with the HTTP status when refused. */
export function open(base: string, session: string, options: ConnectOptions = {}): Promise<Client> {
  const { token: jwt, since, query, ...rest } = options;
  const params = new URLSearchParams({ session });
  if (since !== undefined) params.set('since', String(since));
  if (jwt && query) params.set('token', jwt);
  const headers = { ...(rest.headers ?? {}), ...(jwt && !query ? { Authorization: `Bearer ${jwt}` } : {}) };
  const socket = new WebSocket(`${base}/ws?${params}`, { ...rest, headers });
  const client = new Client(socket);
  return new Promise((resolve, reject) => {
    socket.once('open', () => resolve(client));
    socket.once('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => reject(new Refused(res.statusCode ?? 0, body)));
    });
    socket.once('error', (error) => reject(error));
  });
}

/** A refused upgrade: the HTTP status and the JSON body's code. */
export class Refused extends Error {
  readonly code: string | undefined;
  constructor(readonly status: number, body: string) {
    super(`refused ${status}: ${body}`);
    try {
      this.code = (JSON.parse(body) as { code?: string }).code;
    } catch {
      this.code = undefined;
    }
  }
}

/** Resolves to the refusal of an upgrade that must fail. */
export async function refusal(promise: Promise<Client>): Promise<Refused> {
  try {
    const client = await promise;
    client.close();
  } catch (error) {
    if (error instanceof Refused) return error;
    throw error;
  }
  throw new Error('the upgrade was accepted');
}

/** A PLUGIN_PARAMETER op envelope. */
export function param(id: string, session: string, value: number, extra: Record<string, unknown> = {}): Frame {
  return { id, type: 'PLUGIN_PARAMETER', session_id: session, data: { track_id: 't1', plugin_id: 'p1', parameter_id: 'cutoff', parameter_value: value }, ...extra };
}

/** The ops that give a session track t1 with filter p1. */
export function setupOps(session: string): Frame[] {
  return [
    { id: 'setup_track', type: 'ADD_TRACK', session_id: session, data: { track: { id: 't1', name: 'Synth' } } },
    { id: 'setup_plugin', type: 'ADD_PLUGIN', session_id: session, data: { track_id: 't1', plugin: { id: 'p1', type: 'filter' } } },
  ];
}

/** Joins as owner, creates t1/p1, waits for both acks; returns the owner's client. */
export async function seedSession(base: string, session: string, user = 'owner'): Promise<Client> {
  const owner = await join(base, session, { token: await token(session, user, 'owner') });
  for (const op of setupOps(session)) {
    owner.send(op);
    const answer = await owner.answer(op.id as string);
    if (answer.type !== 'ack') throw new Error(`setup failed: ${JSON.stringify(answer)}`);
  }
  return owner;
}

/** GET /api/sessions/:id as an admin. */
export async function stored(base: string, session: string): Promise<{ seq: number; document: Record<string, unknown> }> {
  const res = await fetch(`${base}/api/sessions/${session}`, { headers: { Authorization: `Bearer ${await token('*', 'admin', 'admin')}` } });
  if (res.status !== 200) throw new Error(`GET session: ${res.status}`);
  return (await res.json()) as { seq: number; document: Record<string, unknown> };
}
