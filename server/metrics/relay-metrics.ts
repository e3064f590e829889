/**
 * The relay's Prometheus metrics (prom-client), one registry per relay so
 * that several relays in one process (tests) never share counters. Counters
 * on the hot path are bumped as ops and frames pass ({@link RelayObserver});
 * everything that is a state (connections, sessions, file sizes, rejections
 * counted by the guard) is read when Prometheus scrapes, so it costs nothing
 * in between. Node's default process metrics (CPU, memory, GC, event-loop
 * lag) come from `collectDefaultMetrics`.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { ErrorCode } from '../../src/protocol/errors.ts';
import type { Role } from '../../src/protocol/messages.ts';
import type { RejectionCause } from '../limits/guard.ts';
import type { RelayObserver } from '../session/observer.ts';

/** What the scrape-time gauges read from the running relay. */
export interface MetricSources {
  /** Open members with their role and whether their queue is backed up. */
  members(): Iterable<{ readonly role: Role; readonly backedUp: boolean }>;
  sessionsLoaded(): number;
  fileSizes(): { database: number; wal: number };
  /** Refusals counted by the connection guard since start, by cause. */
  rejections(): ReadonlyMap<RejectionCause, number>;
  /** IP blocks imposed since start, by the cause that tipped them. */
  blocks(): ReadonlyMap<RejectionCause, number>;
  blockedNow(): number;
}

/** A relay's metrics: the observer its sessions report to, and the registry `/metrics` serves. */
export interface RelayMetrics {
  readonly registry: Registry;
  readonly observer: RelayObserver;
}

/** Ack latency buckets (seconds): a group commit is sub-millisecond at NORMAL, milliseconds at FULL. */
const ACK_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

/** Sets a counter to a monotonic total kept elsewhere (at scrape time). */
function mirror<L extends string>(counter: Counter<L>, totals: ReadonlyMap<string, number>, label: L): void {
  counter.reset();
  for (const [value, n] of totals) counter.inc({ [label]: value } as Record<L, string>, n);
}

/** Creates the metrics of one relay, reading its state through `sources`. */
export function createRelayMetrics(sources: MetricSources): RelayMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const registers = [registry];

  new Gauge({
    name: 'outboard_connections', help: 'Open WebSocket members by role.', labelNames: ['role'] as const, registers,
    collect() {
      this.reset();
      for (const role of ['admin', 'owner', 'editor', 'viewer'] as const) this.set({ role }, 0);
      for (const m of sources.members()) this.inc({ role: m.role });
    },
  });
  new Gauge({
    name: 'outboard_receivers_backed_up', help: 'Members whose socket is not keeping up (frames wait in their coalescing queue).', registers,
    collect() {
      let n = 0;
      for (const m of sources.members()) if (m.backedUp) n++;
      this.set(n);
    },
  });
  new Gauge({
    name: 'outboard_sessions_loaded', help: 'Sessions loaded in memory on this relay.', registers,
    collect() {
      this.set(sources.sessionsLoaded());
    },
  });
  new Gauge({
    name: 'outboard_database_bytes', help: 'Size of the SQLite database file.', registers,
    collect() {
      this.set(sources.fileSizes().database);
    },
  });
  new Gauge({
    name: 'outboard_database_wal_bytes', help: 'Size of the SQLite write-ahead log.', registers,
    collect() {
      this.set(sources.fileSizes().wal);
    },
  });
  new Counter({
    name: 'outboard_rejections_total', help: 'Connections and messages refused, by cause.', labelNames: ['cause'] as const, registers,
    collect() {
      mirror(this, sources.rejections(), 'cause');
    },
  });
  new Counter({
    name: 'outboard_blocks_total', help: 'Client addresses blocked, by the refusal that tipped the count.', labelNames: ['cause'] as const, registers,
    collect() {
      mirror(this, sources.blocks(), 'cause');
    },
  });
  new Gauge({
    name: 'outboard_blocked_addresses', help: 'Client addresses blocked right now.', registers,
    collect() {
      this.set(sources.blockedNow());
    },
  });

  const received = new Counter({ name: 'outboard_ops_received_total', help: 'Ops that reached a session, by type.', labelNames: ['type'] as const, registers });
  const applied = new Counter({ name: 'outboard_ops_applied_total', help: 'Ops applied (durable ones once committed), by type.', labelNames: ['type'] as const, registers });
  const refused = new Counter({ name: 'outboard_ops_refused_total', help: 'Ops refused, by type and error code.', labelNames: ['type', 'code'] as const, registers });
  const ack = new Histogram({ name: 'outboard_ack_latency_seconds', help: 'From an op\'s arrival to its ack (after the group commit).', buckets: ACK_BUCKETS, registers });
  const frames = new Counter({ name: 'outboard_fanout_frames_total', help: 'Frames sent to members (ops, acks, presence, snapshots).', registers });
  const bytes = new Counter({ name: 'outboard_fanout_bytes_total', help: 'Bytes of the frames sent to members.', registers });

  const observer: RelayObserver = {
    opReceived: (type) => received.inc({ type }),
    opRefused: (type, code: ErrorCode) => refused.inc({ type, code }),
    opApplied: (type, ackSeconds) => {
      applied.inc({ type });
      if (ackSeconds !== undefined) ack.observe(ackSeconds);
    },
    frameSent: (n) => {
      frames.inc();
      bytes.inc(n);
    },
  };
  return { registry, observer };
}
