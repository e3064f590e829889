/**
 * The relay (SPEC §5–§8) on one node: node:http for the routes, ws (no
 * server of its own) for /ws, SQLite for storage — or Redis shared with other
 * nodes when OUTBOARD_REDIS_URL is set (cluster/backend.ts). `createRelay`
 * wires the parts; `start` listens; `stop` drains: no new connections,
 * pending ops committed and acked, sockets closed with 1001, the store closed.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { newId } from '../src/protocol/ids.ts';
import { renewAccess, withInvites } from './auth/access.ts';
import { createVerifier } from './auth/tokens.ts';
import type { RelayConfig } from './config.ts';
import type { HttpContext } from './http/context.ts';
import { createRouter } from './http/router.ts';
import { createLogger, type Logger } from './log.ts';
import { createRelayMetrics, type RelayMetrics } from './metrics/relay-metrics.ts';
import { packageVersion } from './package-info.ts';
import { resolveSecret } from './secret.ts';
import { createBackend } from './cluster/backend.ts';
import type { Sessions } from './session/types.ts';
import type { StoreHandle } from './store/types.ts';
import { CLOSE, type Connection } from './ws/connection.ts';
import { createUpgradeHandler } from './ws/upgrade.ts';

/** A running (or ready) relay. */
export interface Relay {
  readonly server: Server;
  readonly config: RelayConfig;
  /** The HS256 secret tokens are signed with. */
  readonly secret: string;
  readonly store: StoreHandle;
  readonly registry: Sessions;
  readonly log: Logger;
  readonly metrics: RelayMetrics;
  /** Listens on config.host:config.port (port 0: any); resolves to the base URL. */
  start(): Promise<string>;
  /** Drains and stops; safe to call twice. */
  stop(): Promise<void>;
  /** Open WebSocket members. */
  readonly connections: ReadonlySet<Connection>;
}

/** Why the relay cannot listen, in the settings' words: Node's own message names neither HOST nor PORT. */
function listenFailure(error: NodeJS.ErrnoException, { host, port }: RelayConfig): Error {
  const where = `${host}:${port}`;
  switch (error.code) {
    case 'EADDRINUSE': return new Error(`port ${port} on ${host} is taken by another process (another relay?): stop it, or set PORT (or --port) to a free port`, { cause: error });
    case 'EACCES': return new Error(`not permitted to listen on ${where}: ports below 1024 need privileges; set PORT (or --port) to 1024 or above`, { cause: error });
    case 'EADDRNOTAVAIL': return new Error(`HOST ${host} is not an address of this machine: set HOST (or --host) to one of its addresses, 127.0.0.1, or 0.0.0.0 for all`, { cause: error });
    case 'ENOTFOUND':
    case 'EAI_AGAIN': return new Error(`HOST ${host} does not resolve to an address: set HOST (or --host) to one of this machine's addresses, 127.0.0.1, or 0.0.0.0 for all`, { cause: error });
    default: return error;
  }
}

/** Wires a relay from its configuration (opens the database, resolves the secret). */
export function createRelay(config: RelayConfig, options: { log?: Logger } = {}): Relay {
  const log = options.log ?? createLogger(config.logLevel);
  const nodeId = newId('relay').slice(0, 32);
  // A resume must fit a slow receiver's queue; beyond that a SNAPSHOT is one frame.
  const replayMax = Math.min(2000, Math.floor(config.sendQueueMax / 2));
  const connections = new Set<Connection>();
  // The metrics read the backend lazily: its registry reports to them, so they come first.
  const metrics = createRelayMetrics({
    members: () => connections,
    sessionsLoaded: () => backend.registry.live,
    fileSizes: () => backend.single?.store.fileSizes() ?? { database: 0, wal: 0 },
    rejections: () => backend.guard.rejections,
    blocks: () => backend.guard.blocksByCause,
    blockedNow: () => backend.guard.blockedHere,
  });
  const backend = createBackend(config, log, { nodeId, replayMax, observer: metrics.observer, metrics: metrics.registry });
  const { store, registry, guard, httpLimiter, invites } = backend;
  const secret = resolveSecret(config.jwtSecret, config.dataDir);
  const verifier = withInvites(createVerifier(secret, config.jwksUrl), invites);
  const streams = new Set<() => void>();
  let draining = false;
  let messages = 0;
  const samples: number[] = [];
  const sampler = setInterval(() => {
    samples.push(messages);
    if (samples.length > 11) samples.shift();
  }, 1000).unref();

  const ctx: HttpContext = {
    config, secret, verifier, guard, registry, store, invites, log, metrics, admin: backend.admin, startedAt: Date.now(), version: packageVersion(),
    messageRates: () => {
      const n = samples.length;
      const last = n >= 2 ? samples[n - 1]! - samples[n - 2]! : 0;
      const avg = n >= 2 ? (samples[n - 1]! - samples[0]!) / (n - 1) : 0;
      return { last_1s: last, last_10s_avg: Math.round(avg * 10) / 10, total: messages };
    },
    allowRequest: (ip) => httpLimiter.consume(ip).then(() => true, () => false),
    trackStream: (end) => {
      streams.add(end);
      return () => streams.delete(end);
    },
  };
  const server = createServer(createRouter(ctx));
  server.on('upgrade', createUpgradeHandler({
    config, guard, verifier, log, registry, connections,
    isDraining: () => draining,
    countMessage: () => void messages++,
    observer: metrics.observer,
    renew: (principal) => renewAccess(secret, invites, principal, config.accessTokenTtlS),
  }));
  // A revoked invite's devices are told at once, not when their token runs out.
  invites.onRevoked((invite) => {
    for (const conn of connections) if (conn.invite === invite.id) conn.drop(CLOSE.inviteRevoked, 'the owner revoked this invite');
  });

  // Heartbeat: a peer that missed the last ping's pong is gone (SPEC §7).
  const heartbeat = setInterval(() => {
    for (const conn of connections) conn.heartbeat();
  }, config.pingIntervalMs).unref();

  let stopped: Promise<void> | undefined;
  const stop = () => (stopped ??= (async () => {
    draining = true;
    clearInterval(heartbeat);
    clearInterval(sampler);
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    // Commit and ack whatever is pending before saying goodbye.
    await registry.drain();
    for (const end of [...streams]) end();
    for (const conn of connections) conn.drop(CLOSE.goingAway, 'relay shutting down');
    const deadline = Date.now() + 3000;
    while (connections.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    for (const conn of connections) conn.terminate();
    server.closeAllConnections();
    await closed;
    await registry.drain();
    await backend.close();
    log.info('relay stopped');
  })());

  return {
    server, config, secret, store, registry, log, metrics, connections,
    async start() {
      await backend.start();
      try {
        await new Promise<void>((resolve, reject) => {
          server.once('error', reject);
          server.listen(config.port, config.host, () => {
            server.off('error', reject);
            resolve();
          });
        });
      } catch (error) {
        // A cluster node's heartbeat would otherwise keep the process alive, counted as a live node.
        await backend.close();
        throw listenFailure(error as NodeJS.ErrnoException, config);
      }
      const { port } = server.address() as AddressInfo;
      // Listening on every interface: the URL to open is still the local one.
      const shown = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
      const host = shown.includes(':') ? `[${shown}]` : shown;
      const url = `http://${host}:${port}`;
      log.info({ url, dataDir: config.dataDir, sync: config.sync, ...(config.redisUrl ? { cluster: nodeId } : {}) }, 'relay listening');
      return url;
    },
    stop,
  };
}
