/**
 * What a cluster operator scrapes from each node, beside the node's own
 * metrics (server/metrics/relay-metrics.ts): whether this node reaches Redis,
 * how long Redis commands take from here (every command of the commands
 * connection, timed from send to reply; counted by command name beside; the
 * ephemeral PUBLISHes, written without a reply, are counted but not timed), the bytes Redis
 * holds in its output buffers for pub/sub subscribers (a backlog means a
 * node is not reading its channels fast enough), and the live node count.
 * Every node is its own Prometheus target (docs/operating.md).
 */
import type { Redis } from 'ioredis';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { RedisStore } from '../store/redis.ts';
import { NODES } from './guard.ts';

/** Redis round trips on loopback are tens of microseconds; a busy AOF at `always` takes milliseconds. */
const COMMAND_BUCKETS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1];

/** `omem` (output buffer bytes) summed over the clients of a `CLIENT LIST` reply. */
function outputBytes(clientList: string): number {
  let total = 0;
  for (const match of clientList.matchAll(/\bomem=(\d+)/g)) total += Number(match[1]);
  return total;
}

/** Times every command `redis` sends through ioredis (pipelines included) into `seconds`, and counts them and their failures by name. */
function instrument(redis: Redis, seconds: Histogram, sent: Counter<'command'>, failures: Counter<'command'>): void {
  const send = redis.sendCommand.bind(redis);
  redis.sendCommand = (command, ...rest) => {
    // ioredis' own handshake (CLIENT SETINFO, which Redis before 7.2 refuses) is not the relay's traffic.
    if (redis.status !== 'ready' && command.name.toLowerCase() === 'client') return send(command, ...rest);
    const started = performance.now();
    const labels = { command: command.name.toLowerCase() };
    sent.inc(labels);
    command.promise.then(
      () => seconds.observe((performance.now() - started) / 1000),
      // NOSCRIPT is ioredis' first call of a script on a fresh Redis: it sends the script itself next, nothing failed.
      (error: Error) => void (error.message.startsWith('NOSCRIPT') || failures.inc(labels)),
    );
    return send(command, ...rest);
  };
}

/** Registers the cluster metrics of the node on `store` in `registry`. */
export function registerClusterMetrics(registry: Registry, store: RedisStore): void {
  const registers = [registry];
  const redis = store.client;
  new Gauge({
    name: 'outboard_redis_up', help: 'Whether every Redis connection of this node is ready (1) or not (0).', registers,
    collect() {
      this.set(store.up ? 1 : 0);
    },
  });
  // One histogram for every command (an append is one script call): label-free, so it stays cheap to scrape and alert on.
  const seconds = new Histogram({
    name: 'outboard_redis_command_seconds', help: 'Redis command latency seen by this node, send to reply (every command).',
    buckets: COMMAND_BUCKETS, registers,
  });
  let unanswered = 0;
  const sent = new Counter({
    name: 'outboard_redis_commands_total', help: 'Redis commands this node sent, by command (scripts are evalsha).',
    labelNames: ['command'] as const, registers,
    // Ephemeral PUBLISHes written without a reply (store/redis.ts) bypass ioredis, so the wrapper below never sees them.
    collect() {
      this.inc({ command: 'publish' }, store.unansweredCommands - unanswered);
      unanswered = store.unansweredCommands;
    },
  });
  const failures = new Counter({
    name: 'outboard_redis_command_errors_total', help: 'Redis commands of this node that failed (refused, timed out, connection lost), by command.',
    labelNames: ['command'] as const, registers,
  });
  instrument(redis, seconds, sent, failures);
  new Gauge({
    name: 'outboard_redis_pubsub_backlog_bytes', help: 'Bytes Redis holds in its output buffers for pub/sub subscribers (all nodes\' subscribers).', registers,
    async collect() {
      if (!store.up) return;
      const list = await redis.call('CLIENT', 'LIST', 'TYPE', 'pubsub').catch(() => undefined);
      if (typeof list === 'string') this.set(outputBytes(list));
    },
  });
  new Gauge({
    name: 'outboard_cluster_nodes_live', help: 'Relay nodes whose heartbeat has not expired.', registers,
    async collect() {
      if (!store.up) return;
      const live = await redis.zcount(NODES, String(Date.now()), '+inf').catch(() => undefined);
      if (live !== undefined) this.set(live);
    },
  });
}
