/**
 * Every relay setting, read from the environment once, with the SPEC §7/§8
 * defaults. README.md's Configuration table lists the same variables; keep
 * them in step.
 */
import { resolve } from 'node:path';

/** How hard an ack is: `normal` survives a process crash, `full` also a power loss (fsync per commit). */
export type SyncMode = 'normal' | 'full';

export interface RelayConfig {
  readonly host: string;
  readonly port: number;
  /** SQLite database and the generated secret live here. */
  readonly dataDir: string;
  /** The built app served for everything that is not an API route. */
  readonly distDir: string;
  /** HS256 secret; undefined means "generate or read `<dataDir>/jwt-secret`". */
  readonly jwtSecret: string | undefined;
  /** RS256/ES256 keys of an external identity provider. */
  readonly jwksUrl: string | undefined;
  /** Browser origins allowed to open a socket, besides the relay's own and localhost. */
  readonly allowedOrigins: readonly string[];
  /** Trust `X-Forwarded-For` / `X-Forwarded-Proto` (behind a reverse proxy). */
  readonly trustProxy: boolean;
  /** Base URL put into invite links; default: the request's own origin. */
  readonly publicUrl: string | undefined;
  readonly maxConnectionsPerIp: number;
  readonly maxConnections: number;
  readonly maxMessagesPerSecond: number;
  /** API requests per second per client address (`/api/*`, `/admin/*`). */
  readonly maxHttpRequestsPerSecond: number;
  readonly maxMessageBytes: number;
  /** Largest session document `PUT /api/sessions/:id` accepts. */
  readonly maxDocumentBytes: number;
  readonly pingIntervalMs: number;
  /** Auth failures or protocol violations per window that block an IP. */
  readonly blockThreshold: number;
  readonly blockWindowMs: number;
  readonly blockDurationMs: number;
  /** A receiver whose socket holds more than this is "backed up": its queue coalesces. */
  readonly sendBufferBytes: number;
  /** Most messages a backed-up receiver may have queued before it is dropped (it resumes with `since`). */
  readonly sendQueueMax: number;
  /** Most bytes a backed-up receiver may have queued before it is dropped. */
  readonly sendQueueMaxBytes: number;
  readonly sync: SyncMode;
  readonly logLevel: string;
  /** Snapshot the document into the sessions table every this many ops (the log holds the rest). */
  readonly snapshotEvery: number;
  /** Logged ops kept per session behind its head for resumes; older ops covered by a snapshot are deleted. */
  readonly logRetainOps: number;
  /** Logged ops younger than this many days are kept too (0: no age bound). */
  readonly logRetainDays: number;
  /** A bearer secret Prometheus may scrape `/metrics` with, besides an admin token. */
  readonly metricsToken: string | undefined;
  /** Redis shared by several relay nodes (`redis://…`); undefined: one node on SQLite. */
  readonly redisUrl: string | undefined;
  /** A second Redis for in-gesture values and presence only (no AOF needed); undefined: the main one. */
  readonly redisChannelsUrl: string | undefined;
  /** In a cluster: op ids remembered per session to answer a retried op with its first seq (counted in ops behind the newest snapshot). */
  readonly dedupWindow: number;
  /** Nice value for every thread of `outboard serve` but the event loop's (0: leave them alone); see background-priority.ts. */
  readonly backgroundNice: number;
  /** Life of the access tokens an invited device is handed over its socket (renewed before they expire). */
  readonly accessTokenTtlS: number;
}

type Env = Readonly<Record<string, string | undefined>>;

function int(env: Env, name: string, fallback: number, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  // Decimal digits only: Number() would also take "0x10" as 16 and "1e3" as 1000, which nobody means in a limit.
  const value = /^\s*\d+\s*$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new Error(`${name} must be an integer ${max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `from ${min} to ${max}`}, got "${raw}"`);
  }
  return value;
}

const ON = ['1', 'true', 'yes', 'on'];
const OFF = ['', '0', 'false', 'no', 'off'];

/** An on/off switch; anything else is refused rather than read as "on" (a typo must not open a trust boundary). */
function flag(env: Env, name: string): boolean {
  const raw = (env[name] ?? '').trim().toLowerCase();
  if (ON.includes(raw)) return true;
  if (OFF.includes(raw)) return false;
  throw new Error(`${name} must be one of ${[...ON, ...OFF.slice(1)].join(', ')} (or unset), got "${env[name]}"`);
}

/** An absolute http(s) URL, or undefined when unset. */
function httpUrl(env: Env, name: string): URL | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  const url = URL.canParse(raw) ? new URL(raw) : undefined;
  if (url?.protocol !== 'http:' && url?.protocol !== 'https:') throw new Error(`${name} must be an http:// or https:// URL, got "${raw}"`);
  return url;
}

/**
 * Browser origins, compared with what `new URL(Origin).origin` gives: an entry
 * written `https://App.example.org/` would otherwise never match and its
 * sockets would be refused with nothing said at start.
 */
function origins(env: Env, name: string): string[] {
  return (env[name] ?? '').split(',').map((s) => s.trim()).filter(Boolean).map((entry) => {
    if (entry === '*') return entry;
    const url = URL.canParse(entry) ? new URL(entry) : undefined;
    if ((url?.protocol !== 'http:' && url?.protocol !== 'https:') || url.pathname !== '/' || url.search || url.hash || url.username) {
      throw new Error(`${name} must be a comma-separated list of origins like https://app.example.org (scheme, host, optional port) or *, got "${entry}"`);
    }
    return url.origin;
  });
}

/** pino's levels. */
const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'];

function logLevel(env: Env): string {
  const raw = env.OUTBOARD_LOG_LEVEL || 'info';
  if (!LOG_LEVELS.includes(raw)) throw new Error(`OUTBOARD_LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${raw}"`);
  return raw;
}

function syncMode(env: Env): SyncMode {
  const raw = (env.OUTBOARD_SYNC ?? 'normal').toLowerCase();
  if (raw !== 'normal' && raw !== 'full') throw new Error(`OUTBOARD_SYNC must be "normal" or "full", got "${raw}"`);
  return raw;
}

function redisUrl(env: Env, name: string): string | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  if (!/^rediss?:\/\/[^\s]+$/.test(raw)) throw new Error(`${name} must be a redis:// or rediss:// URL`);
  return raw;
}

/** Reads the relay's configuration; throws a readable Error on a malformed value. */
export function loadConfig(env: Env = process.env): RelayConfig {
  // Without the main Redis a node is the single SQLite node, and a channels Redis would be ignored without a word.
  if (env.OUTBOARD_REDIS_CHANNELS_URL && !env.OUTBOARD_REDIS_URL) {
    throw new Error('OUTBOARD_REDIS_CHANNELS_URL needs OUTBOARD_REDIS_URL: it only carries in-gesture values and presence beside the main Redis');
  }
  return {
    host: env.HOST || '127.0.0.1',
    port: int(env, 'PORT', 8350, 0, 65535),
    dataDir: resolve(env.OUTBOARD_DATA_DIR || './data'),
    distDir: resolve(env.OUTBOARD_DIST_DIR || './dist'),
    jwtSecret: env.OUTBOARD_JWT_SECRET || undefined,
    jwksUrl: httpUrl(env, 'OUTBOARD_JWKS_URL')?.href,
    allowedOrigins: origins(env, 'OUTBOARD_ALLOWED_ORIGINS'),
    trustProxy: flag(env, 'OUTBOARD_TRUST_PROXY'),
    publicUrl: httpUrl(env, 'OUTBOARD_PUBLIC_URL') ? env.OUTBOARD_PUBLIC_URL : undefined,
    maxConnectionsPerIp: int(env, 'OUTBOARD_MAX_CONNECTIONS_PER_IP', 10, 1),
    maxConnections: int(env, 'OUTBOARD_MAX_CONNECTIONS', 1000, 1),
    maxMessagesPerSecond: int(env, 'OUTBOARD_MAX_MESSAGES_PER_SECOND', 100, 1),
    maxHttpRequestsPerSecond: int(env, 'OUTBOARD_MAX_HTTP_REQUESTS_PER_SECOND', 200, 1),
    maxMessageBytes: int(env, 'OUTBOARD_MAX_MESSAGE_BYTES', 64 * 1024, 1024),
    maxDocumentBytes: int(env, 'OUTBOARD_MAX_DOCUMENT_BYTES', 4 * 1024 * 1024, 1024),
    pingIntervalMs: int(env, 'OUTBOARD_PING_INTERVAL_MS', 30_000, 10),
    blockThreshold: int(env, 'OUTBOARD_BLOCK_THRESHOLD', 20, 1),
    blockWindowMs: int(env, 'OUTBOARD_BLOCK_WINDOW_MS', 60_000, 10),
    blockDurationMs: int(env, 'OUTBOARD_BLOCK_DURATION_MS', 600_000, 10),
    sendBufferBytes: int(env, 'OUTBOARD_SEND_BUFFER_BYTES', 64 * 1024, 1),
    sendQueueMax: int(env, 'OUTBOARD_SEND_QUEUE_MAX', 1024, 2),
    sendQueueMaxBytes: int(env, 'OUTBOARD_SEND_QUEUE_MAX_BYTES', 8 * 1024 * 1024, 1024),
    sync: syncMode(env),
    logLevel: logLevel(env),
    snapshotEvery: int(env, 'OUTBOARD_SNAPSHOT_EVERY', 256, 1),
    backgroundNice: int(env, 'OUTBOARD_BACKGROUND_NICE', 19, 0, 19),
    logRetainOps: int(env, 'OUTBOARD_LOG_RETAIN_OPS', 10_000),
    logRetainDays: int(env, 'OUTBOARD_LOG_RETAIN_DAYS', 0),
    metricsToken: env.OUTBOARD_METRICS_TOKEN || undefined,
    accessTokenTtlS: int(env, 'OUTBOARD_ACCESS_TOKEN_TTL_S', 3600, 2),
    redisUrl: redisUrl(env, 'OUTBOARD_REDIS_URL'),
    redisChannelsUrl: redisUrl(env, 'OUTBOARD_REDIS_CHANNELS_URL'),
    dedupWindow: int(env, 'OUTBOARD_DEDUP_WINDOW', 10_000, 1),
  };
}
