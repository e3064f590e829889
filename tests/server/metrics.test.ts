/**
 * `GET /metrics` on a real relay: guarded by the metrics token or an admin
 * token, a scrape parses as the Prometheus text format (with a library
 * parser), and the counters move as members edit.
 */
import parsePrometheusTextFormat, { type ParsedFamily } from 'parse-prometheus-text-format';
import { describe, expect, it } from 'vitest';
import { join, param, seedSession, token, useRelay } from './helpers.ts';

const METRICS_TOKEN = 'scraper-secret-0123456789';
const relay = useRelay({ OUTBOARD_METRICS_TOKEN: METRICS_TOKEN });

async function scrape(): Promise<Map<string, ParsedFamily>> {
  const res = await fetch(`${relay.current.url}/metrics`, { headers: { Authorization: `Bearer ${METRICS_TOKEN}` } });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return new Map(parsePrometheusTextFormat(await res.text()).map((f) => [f.name, f]));
}

/** The value of `name` whose labels include `labels` (0 when absent). */
function value(families: Map<string, ParsedFamily>, name: string, labels: Record<string, string> = {}): number {
  const sample = families.get(name)?.metrics.find((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v));
  return Number(sample?.value ?? sample?.count ?? 0);
}

describe('GET /metrics', () => {
  it('answers only the metrics token or an admin token for every session', async () => {
    const url = `${relay.current.url}/metrics`;
    expect((await fetch(url)).status).toBe(401);
    expect((await fetch(url, { headers: { Authorization: 'Bearer not-the-secret' } })).status).toBe(401);
    expect((await fetch(url, { headers: { Authorization: `Bearer ${await token('*', 'o', 'owner')}` } })).status).toBe(403);
    expect((await fetch(url, { headers: { Authorization: `Bearer ${await token('*', 'root', 'admin')}` } })).status).toBe(200);
  });

  it('parses as the Prometheus text format, and its counters move as ops flow', async () => {
    const owner = await seedSession(relay.current.ws, 'm1');
    const viewer = await join(relay.current.ws, 'm1', { token: await token('m1', 'fan', 'viewer') });
    const before = await scrape();
    for (const name of ['nodejs_eventloop_lag_seconds', 'process_cpu_seconds_total', 'process_resident_memory_bytes', 'outboard_database_bytes', 'outboard_database_wal_bytes']) {
      expect(before.has(name), name).toBe(true);
    }
    expect(before.get('outboard_ack_latency_seconds')?.type).toBe('HISTOGRAM');
    expect(value(before, 'outboard_connections', { role: 'owner' })).toBe(1);
    expect(value(before, 'outboard_connections', { role: 'viewer' })).toBe(1);
    expect(value(before, 'outboard_sessions_loaded')).toBeGreaterThanOrEqual(1);
    expect(value(before, 'outboard_database_bytes')).toBeGreaterThan(0);

    for (let i = 0; i < 10; i++) owner.send(param(`m_${i}`, 'm1', 100 + i));
    await owner.answer('m_9');
    owner.send(param('m_bad', 'm1', 1e9));
    expect(await owner.answer('m_bad')).toMatchObject({ type: 'error', data: { code: 'INVALID_PARAMETER' } });
    viewer.send(param('v_1', 'm1', 300));
    expect(await viewer.answer('v_1')).toMatchObject({ type: 'error', data: { code: 'FORBIDDEN' } });
    await viewer.next((f) => f.id === 'm_9');

    const after = await scrape();
    const delta = (name: string, labels: Record<string, string> = {}) => value(after, name, labels) - value(before, name, labels);
    expect(delta('outboard_ops_received_total', { type: 'PLUGIN_PARAMETER' })).toBe(12);
    expect(delta('outboard_ops_applied_total', { type: 'PLUGIN_PARAMETER' })).toBe(10);
    expect(delta('outboard_ops_refused_total', { type: 'PLUGIN_PARAMETER', code: 'INVALID_PARAMETER' })).toBe(1);
    expect(delta('outboard_ops_refused_total', { type: 'PLUGIN_PARAMETER', code: 'FORBIDDEN' })).toBe(1);
    expect(delta('outboard_ack_latency_seconds')).toBe(10);
    // Ten acks to the owner, ten ops to the viewer, two error answers.
    expect(delta('outboard_fanout_frames_total')).toBeGreaterThanOrEqual(22);
    expect(delta('outboard_fanout_bytes_total')).toBeGreaterThan(22 * 40);
    owner.close();
    viewer.close();
  });

  it('counts rejections by cause', async () => {
    const before = await scrape();
    await fetch(`${relay.current.url}/api/sessions/m1`);
    const after = await scrape();
    expect(value(after, 'outboard_rejections_total', { cause: 'unauthorized' }) - value(before, 'outboard_rejections_total', { cause: 'unauthorized' })).toBe(1);
  });
});
