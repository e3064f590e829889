/**
 * `/metrics` on each node of a two-node cluster (real redis-server, real
 * relay processes): every node is its own target and reports its own members and ops,
 * plus what a cluster operator watches — Redis reachable, the latency of
 * Redis commands as a histogram, the subscribers' backlog in Redis, the live
 * nodes. Parsed with a Prometheus text-format parser, not a regex.
 */
import parsePrometheusTextFormat, { type ParsedFamily } from 'parse-prometheus-text-format';
import { describe, expect, it } from 'vitest';
import { join, param, seedSession, token } from '../helpers.ts';
import { HAS_REDIS, NO_REDIS, until, useClusterProcesses } from '../redis-helpers.ts';

async function scrape(base: string): Promise<Map<string, ParsedFamily>> {
  const res = await fetch(`${base}/metrics`, { headers: { Authorization: `Bearer ${await token('*', 'root', 'admin')}` } });
  expect(res.status).toBe(200);
  return new Map(parsePrometheusTextFormat(await res.text()).map((f) => [f.name, f]));
}

/** The sum over the samples of `name` whose labels include `labels` (histograms: their counts). */
function value(families: Map<string, ParsedFamily>, name: string, labels: Record<string, string> = {}): number {
  return (families.get(name)?.metrics ?? [])
    .filter((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v))
    .reduce((sum, m) => sum + Number(m.value ?? m.count ?? 0), 0);
}

describe.skipIf(!HAS_REDIS)(`/metrics on a cluster${HAS_REDIS ? '' : ` (skipped: ${NO_REDIS})`}`, () => {
  const cluster = useClusterProcesses();

  it('each node reports its own members and ops, and Redis: up, command latency histogram moving with ops, subscriber backlog, live nodes', async () => {
    const { a, b } = cluster;
    const owner = await seedSession(a.ws, 'mc');
    const viewer = await join(b.ws, 'mc', { token: await token('mc', 'fan', 'viewer') });
    await until(async () => value(await scrape(a.url), 'outboard_cluster_nodes_live') === 2, 'both nodes live');
    const [beforeA, beforeB] = await Promise.all([scrape(a.url), scrape(b.url)]);
    for (const families of [beforeA, beforeB]) {
      expect(value(families, 'outboard_redis_up')).toBe(1);
      expect(families.get('outboard_redis_command_seconds')?.type).toBe('HISTOGRAM');
      expect(families.has('outboard_redis_pubsub_backlog_bytes')).toBe(true);
      expect(value(families, 'outboard_cluster_nodes_live')).toBe(2);
    }
    // Each node is its own target: its own members only.
    expect([value(beforeA, 'outboard_connections', { role: 'owner' }), value(beforeA, 'outboard_connections', { role: 'viewer' })]).toEqual([1, 0]);
    expect([value(beforeB, 'outboard_connections', { role: 'owner' }), value(beforeB, 'outboard_connections', { role: 'viewer' })]).toEqual([0, 1]);

    for (let i = 0; i < 10; i++) owner.send(param(`m_${i}`, 'mc', 100 + i));
    await owner.answer('m_9');
    await viewer.next((f) => f.id === 'm_9');
    const [afterA, afterB] = await Promise.all([scrape(a.url), scrape(b.url)]);
    // The ops are A's: received, applied and acked there; B only fanned them out to its member.
    const delta = (after: typeof afterA, before: typeof afterA, name: string, labels: Record<string, string> = {}) => value(after, name, labels) - value(before, name, labels);
    expect(delta(afterA, beforeA, 'outboard_ops_received_total', { type: 'PLUGIN_PARAMETER' })).toBe(10);
    expect(delta(afterA, beforeA, 'outboard_ops_applied_total', { type: 'PLUGIN_PARAMETER' })).toBe(10);
    expect(delta(afterA, beforeA, 'outboard_ack_latency_seconds')).toBe(10);
    expect(delta(afterB, beforeB, 'outboard_ops_applied_total', { type: 'PLUGIN_PARAMETER' })).toBe(0);
    expect(delta(afterB, beforeB, 'outboard_fanout_frames_total')).toBeGreaterThanOrEqual(10);
    // The appends are scripts: at least one EVALSHA per append, each timed in the histogram.
    const scripts = value(afterA, 'outboard_redis_commands_total', { command: 'evalsha' }) - value(beforeA, 'outboard_redis_commands_total', { command: 'evalsha' });
    expect(scripts).toBeGreaterThanOrEqual(1);
    expect(value(afterA, 'outboard_redis_command_seconds') - value(beforeA, 'outboard_redis_command_seconds')).toBeGreaterThanOrEqual(scripts);
    expect(value(afterA, 'outboard_redis_command_errors_total')).toBe(0);
    owner.close();
    viewer.close();
  });
});
