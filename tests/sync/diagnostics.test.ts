import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { stampOp } from '../../src/model/index.ts';
import type { ClientMessage, Role } from '../../src/protocol/messages.ts';
import { Diagnostics, KEPT_CHARS, LOG_CAPACITY, matchesFilter } from '../../src/sync/diagnostics.ts';
import { decodeClaims } from '../../src/sync/jwt.ts';
import type { WebSocketCtor } from '../../src/sync/relay-socket.ts';
import { SyncSession } from '../../src/sync/sync-session.ts';
import { addPluginOp, addTrackOps, batch, op } from '../../src/app/op-builders.ts';
import { cleanup, startRelay, tempDir, token, type TestRelay } from '../server/helpers.ts';
import { Device, FAST_BACKOFF, offlineSession } from '../../bench/sync-device.ts';

const HLC = '001795765106246:00000:lap';
const param = (id: string, extra: Record<string, unknown> = {}): ClientMessage => ({
  id, type: 'PLUGIN_PARAMETER', session_id: 'ses_a', hlc: HLC,
  data: { track_id: 'trk_1', plugin_id: 'plg_1', parameter_id: 'cutoff', parameter_value: 440 }, ...extra,
} as ClientMessage);

/** A collector on a clock the test moves. */
function collector(): { log: Diagnostics; at: (ms: number) => void } {
  let now = 0;
  return { log: new Diagnostics({ now: () => now }), at: (ms) => (now = ms) };
}

describe('the diagnostics collector', () => {
  it('keeps the newest 1000 frames, newest first, whatever went through', () => {
    const { log } = collector();
    const tap = log.tap('ses_a', () => 'ana');
    for (let i = 0; i < 1500; i += 1) tap.sent(param(`op_${i}`), `{"n":${i}}`);
    const kept = log.entries();
    expect(kept).toHaveLength(LOG_CAPACITY);
    expect(log.total).toBe(1500);
    expect(kept[0]).toMatchObject({ n: 1499, id: 'op_1499', direction: 'out', type: 'PLUGIN_PARAMETER', user: 'ana', sessionId: 'ses_a', raw: '{"n":1499}', size: 10 });
    expect(kept.at(-1)!.id).toBe('op_500');
  });

  it('keeps only the head of a long frame (a snapshot), saying how much it cut, and its full size', () => {
    const { log } = collector();
    const tap = log.tap('ses_a', () => 'ana');
    const snapshot = `{"type":"SNAPSHOT","seq":7,"data":{"document":{"name":"${'x'.repeat(1_000_000)}"}}}`;
    tap.received(JSON.parse(snapshot), snapshot);
    const [entry] = log.entries();
    expect(entry!.size).toBe(snapshot.length);
    expect(entry!.raw.startsWith(snapshot.slice(0, KEPT_CHARS))).toBe(true);
    expect(entry!.raw).toMatch(new RegExp(`… \\[${snapshot.length - KEPT_CHARS} more characters not kept\\]$`));
    expect(entry!.raw.length).toBeLessThan(KEPT_CHARS + 64);
    expect(entry!.type).toBe('SNAPSHOT');
  });

  it('tells who made each frame and filters by type, user and session', () => {
    const { log } = collector();
    const a = log.tap('ses_a', () => 'ana');
    const b = log.tap('ses_b', () => 'ana');
    a.sent(param('op_1'), '{}');
    a.received({ type: 'ack', id: 'op_1', seq: 1 }, '{}');
    a.received({ id: 'op_2', type: 'PLUGIN_PARAMETER', session_id: 'ses_a', seq: 2, data: { changed_by: 'tab' } }, '{}');
    a.received({ type: 'PRESENCE', session_id: 'ses_a', data: { user_id: 'tab', connection_id: 'c1', touching: null } }, '{}');
    b.sent(param('op_3', { session_id: 'ses_b' }), '{}');
    a.received(null, 'not json');

    expect(log.entries().map((e) => [e.type, e.user, e.sessionId])).toEqual([
      ['invalid', null, 'ses_a'],
      ['PLUGIN_PARAMETER', 'ana', 'ses_b'],
      ['PRESENCE', 'tab', 'ses_a'],
      ['PLUGIN_PARAMETER', 'tab', 'ses_a'],
      ['ack', null, 'ses_a'],
      ['PLUGIN_PARAMETER', 'ana', 'ses_a'],
    ]);
    expect(log.entries({ type: 'PLUGIN_PARAMETER' }).map((e) => e.id)).toEqual(['op_3', 'op_2', 'op_1']);
    expect(log.entries({ user: 'tab' }).map((e) => e.type)).toEqual(['PRESENCE', 'PLUGIN_PARAMETER']);
    expect(log.entries({ sessionId: 'ses_b' }).map((e) => e.id)).toEqual(['op_3']);
    expect(log.entries({ type: 'PLUGIN_PARAMETER', user: 'ana', sessionId: 'ses_a' }).map((e) => e.id)).toEqual(['op_1']);
    // An empty field is no filter.
    expect(log.entries({ type: '', user: '', sessionId: '' })).toHaveLength(6);
    expect(matchesFilter(log.entries()[0]!, { type: 'ack' })).toBe(false);
  });

  it('times each frame from its send to its ack or error: average, max, slow ones over 200 ms, errors', () => {
    const { log, at } = collector();
    const tap = log.tap('ses_a', () => 'ana');
    at(1000);
    tap.sent(param('op_fast'), '{}');
    tap.sent(param('op_slow'), '{}');
    tap.sent(param('op_bad'), '{}');
    // Neither presence nor in-gesture values are answered: they are not timed.
    tap.sent({ id: 'pr_1', type: 'PRESENCE', session_id: 'ses_a', data: { touching: null } }, '{}');
    tap.sent(param('g_1', { ephemeral: true }), '{}');
    at(1040);
    tap.received({ type: 'ack', id: 'op_fast', seq: 1 }, '{}');
    at(1060);
    tap.received({ type: 'error', id: 'op_bad', data: { code: 'PLUGIN_NOT_FOUND', message: 'no such plugin' } }, '{}');
    at(1250);
    tap.received({ type: 'ack', id: 'op_slow', seq: 2 }, '{}');
    // A rate-limited in-gesture value is an error, with no round trip.
    tap.received({ type: 'error', id: 'g_1', data: { code: 'RATE_LIMITED', message: 'slow down' } }, '{}');
    // An ack nobody waits for (answered already) changes nothing.
    tap.received({ type: 'ack', id: 'op_fast', seq: 1 }, '{}');

    expect(log.roundTrips).toEqual({ count: 3, avgMs: (40 + 60 + 250) / 3, maxMs: 250, slow: 1, errors: 2, reconnects: 0 });
    expect(log.entries({ type: 'ack' }).map((e) => e.rttMs)).toEqual([null, 250, 40]);
  });

  it('counts a connection opened again as a reconnect, per session', () => {
    const { log } = collector();
    const a = log.tap('ses_a', () => 'ana');
    const b = log.tap('ses_b', () => 'ana');
    a.opened();
    b.opened();
    expect(log.roundTrips.reconnects).toBe(0);
    a.opened();
    a.opened();
    expect(log.roundTrips.reconnects).toBe(2);
  });

  it('keeps the token of a heartbeat out of the log, and never throws into the sync path', () => {
    const { log } = collector();
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.secret.sig';
    const auth: ClientMessage = { id: 'hb_1', type: 'AUTH', session_id: 'ses_a', data: { token: jwt } };
    log.tap('ses_a', () => 'ana').sent(auth, JSON.stringify(auth));
    expect(log.entries()[0]!.raw).not.toContain(jwt);
    expect(log.entries()[0]!.raw).toContain('[token]');

    const broken = log.tap('ses_a', () => {
      throw new Error('no user');
    });
    expect(() => broken.sent(param('op_1'), '{}')).not.toThrow();
    expect(() => log.tap('ses_a', () => 'ana').received({ get type(): string { throw new Error('odd frame'); } }, '{}')).not.toThrow();
  });
});

describe('diagnostics of a session synced through a real relay', () => {
  let relay: TestRelay | null = null;
  let dataDir = '';
  const devices: Device[] = [];

  afterEach(async () => {
    for (const d of devices.splice(0)) d.stop();
    await relay?.stop();
    cleanup(dataDir);
  });

  /** Connects a device as the app does, recording into `log`. */
  async function connect(d: Device, sessionId: string, user: string, role: Role, log: Diagnostics): Promise<void> {
    const jwt = await token(sessionId, user, role);
    d.sync = new SyncSession({
      sessionId, base: relay!.url, host: d, outbox: d.outbox, backoff: FAST_BACKOFF, diagnostics: log,
      WebSocket: WebSocket as unknown as WebSocketCtor, credential: { token: jwt, claims: decodeClaims(jwt)! },
    });
    devices.push(d);
    await d.sync.start();
  }

  /** Synced, with nothing waiting for the relay. */
  const settled = (d: Device) => expect.poll(() => {
    const status = d.sync?.status;
    return status?.state === 'synced' && status.waiting === 0 && d.outbox.entries.length === 0;
  }, { timeout: 8000 }).toBe(true);

  it('a laptop rides a cutoff with a tablet joined: every frame logged both ways, acks timed, a refusal and a reconnect counted', async () => {
    dataDir = tempDir();
    relay = await startRelay({}, dataDir);
    const log = new Diagnostics();
    const laptop = new Device('lap', offlineSession('ses_diag'));
    const { trackId, ops } = addTrackOps('audio', 'Bass');
    const add = addPluginOp(trackId, 'filter');
    const pluginId = add.type === 'ADD_PLUGIN' ? add.data.plugin.id : '';
    laptop.edit(batch([...ops, add]));
    await connect(laptop, 'ses_diag', 'ana', 'owner', log);
    await settled(laptop);
    const tablet = new Device('tab');
    await connect(tablet, 'ses_diag', 'tab', 'editor', new Diagnostics());
    await settled(tablet);

    const cutoff = (value: number) => op('PLUGIN_PARAMETER', { track_id: trackId, plugin_id: pluginId, parameter_id: 'cutoff', parameter_value: value });
    for (const value of [500, 800, 1200]) {
      laptop.edit(cutoff(value));
      await settled(laptop);
    }
    tablet.edit(cutoff(2000));
    await settled(tablet);
    await expect.poll(() => laptop.doc?.tracks[0]?.chain[0]?.params.cutoff, { timeout: 5000 }).toBe(2000);

    const sent = log.entries({ type: 'PLUGIN_PARAMETER', user: 'ana' });
    expect(sent.map((e) => [e.direction, JSON.parse(e.raw).data.parameter_value])).toEqual([['out', 1200], ['out', 800], ['out', 500]]);
    expect(sent.every((e) => e.sessionId === 'ses_diag' && e.size === e.raw.length)).toBe(true);
    const acks = log.entries({ type: 'ack' });
    for (const s of sent) expect(acks.find((a) => a.id === s.id)?.rttMs).toBeGreaterThanOrEqual(0);
    const fromTablet = log.entries({ user: 'tab', type: 'PLUGIN_PARAMETER' });
    expect(fromTablet.map((e) => [e.direction, JSON.parse(e.raw).data.parameter_value])).toEqual([['in', 2000]]);
    // The oldest frame is the relay's welcome.
    expect(log.entries().at(-1)!.type).toBe('WELCOME');

    // The offline edits went by HTTP (publish): the three values are the round trips so far.
    const before = log.roundTrips;
    expect(before).toMatchObject({ count: 3, slow: 0, errors: 0, reconnects: 0 });
    expect(before.avgMs!).toBeLessThanOrEqual(before.maxMs!);
    expect(before.maxMs).toBe(Math.max(...acks.map((a) => a.rttMs ?? 0)));

    // A change the relay refuses (its plugin is not in the session) is an error, and still a timed round trip.
    const bad = stampOp(laptop.doc!, op('PLUGIN_PARAMETER', { track_id: trackId, plugin_id: 'plg_gone', parameter_id: 'cutoff', parameter_value: 300 }), laptop.clock);
    laptop.sync!.submit(bad);
    await expect.poll(() => log.roundTrips.errors, { timeout: 5000 }).toBe(1);
    expect(log.entries({ type: 'error' })[0]).toMatchObject({ direction: 'in', id: bad.id, user: null });
    expect(log.roundTrips.count).toBe(4);

    // The relay restarts: the laptop reconnects by itself, once.
    const port = new URL(relay.url).port;
    await relay.stop();
    await expect.poll(() => laptop.sync!.status.state, { timeout: 5000 }).toBe('offline');
    relay = await startRelay({ PORT: port }, dataDir);
    await expect.poll(() => laptop.sync!.status.state, { timeout: 10_000 }).toBe('synced');
    expect(log.roundTrips.reconnects).toBe(1);
    expect(log.entries({ type: 'SYNCED' })).toHaveLength(2);
  });
});
