import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { cleanup, startRelay, token } from '../server/helpers.ts';
import { useRelayRig } from './relay-rig.ts';
import { Device, offlineSession } from '../../bench/sync-device.ts';
import { addPluginOp, addTrackOps, batch, op } from '../../src/app/op-builders.ts';
import type { SessionDocument } from '../../src/protocol/session.ts';
import { HlcClock } from '../../src/model/index.ts';
import { Diagnostics } from '../../src/sync/diagnostics.ts';

const rig = useRelayRig();
const device = rig.device;
const relayDoc = rig.doc;


/** A session with one track and a filter on it, made on `d` offline. */
function withFilter(d: Device): { trackId: string; pluginId: string } {
  const { trackId, ops } = addTrackOps('audio', 'Bass');
  const add = addPluginOp(trackId, 'filter');
  d.edit(batch([...ops, add]));
  return { trackId, pluginId: add.type === 'ADD_PLUGIN' ? add.data.plugin.id : '' };
}

const cutoff = (doc: SessionDocument | null, trackId: string) =>
  doc?.tracks.find((t) => t.id === trackId)?.chain[0]?.params.cutoff;

describe('sync client against a real relay', () => {
  it('publishes a session made offline, joins it, and clears the outbox the publish covered', async () => {
    const laptop = device('lap', offlineSession('ses_offline1'));
    const { trackId } = withFilter(laptop);
    expect(laptop.outbox.entries).toHaveLength(1);
    await laptop.connect(rig.relay.url, 'ses_offline1', 'ana', 'owner');
    await laptop.settled();
    const onRelay = await relayDoc('ses_offline1');
    expect(onRelay.document.tracks.map((t) => t.id)).toEqual([trackId]);
    expect(laptop.doc).toEqual(onRelay.document);
    // Joined after the publish: resumed from the seq the PUT answered, not a snapshot.
    expect(laptop.urls[0]).toContain(`since=${onRelay.seq}`);
  });

  it('edits made while the publish (PUT) is on its way stay queued, compacted or not, and reach the relay after it', async () => {
    const laptop = device('lap', offlineSession('ses_put'));
    const { trackId, pluginId } = withFilter(laptop);
    laptop.edit(op('PLUGIN_PARAMETER', { track_id: trackId, plugin_id: pluginId, parameter_id: 'cutoff', parameter_value: 500 }));
    // The PUT is held until the test lets it go: meanwhile the musician keeps playing.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let putStarted!: () => void;
    const started = new Promise<void>((resolve) => (putStarted = resolve));
    const slowPut: typeof fetch = async (input, init) => {
      if (init?.method === 'PUT') {
        putStarted();
        await held;
      }
      return fetch(input, init);
    };
    const connecting = laptop.connect(rig.relay.url, 'ses_put', 'ana', 'owner', { fetch: slowPut });
    await started;
    // The same control as an op the PUT covers (compacts it away), and a new one.
    laptop.edit(op('PLUGIN_PARAMETER', { track_id: trackId, plugin_id: pluginId, parameter_id: 'cutoff', parameter_value: 700 }));
    laptop.edit(op('UPDATE_SESSION', { changes: { tempo_bpm: 140 } }));
    release();
    await connecting;
    await laptop.settled();
    const onRelay = await relayDoc('ses_put');
    expect(cutoff(onRelay.document, trackId)).toBe(700);
    expect(onRelay.document.tempo_bpm).toBe(140);
    expect(laptop.doc).toEqual(onRelay.document);
  });

  it('a session made on the train, with the relay down at start, is merged when the relay comes back — name and all', async () => {
    const port = new URL(rig.relay.url).port;
    await rig.relay.stop();
    const laptop = device('lap', offlineSession('ses_train', 'Train set'));
    const { trackId } = withFilter(laptop);
    await laptop.connect(`http://127.0.0.1:${port}`, 'ses_train', 'ana', 'owner');
    await laptop.until(() => laptop.sync?.status.state === 'offline', 'offline');
    expect(laptop.sync!.status.waiting).toBe(1);
    rig.relay = await startRelay({ PORT: port }, rig.dataDir);
    await laptop.settled();
    const onRelay = await relayDoc('ses_train');
    // The join created the session empty; the merge before the snapshot replaced anything kept the local copy.
    expect(onRelay.document.name).toBe('Train set');
    expect(onRelay.document.tracks.map((t) => t.id)).toEqual([trackId]);
    expect(laptop.doc).toEqual(onRelay.document);
  });

  it('an owner reopening a session the relay lost publishes it again', async () => {
    const laptop = device('lap', offlineSession('ses_lost', 'Kept'));
    withFilter(laptop);
    await laptop.connect(rig.relay.url, 'ses_lost', 'ana', 'owner');
    await laptop.settled();
    laptop.stop();
    // A fresh relay with an empty data dir.
    await rig.restart(() => undefined, true);
    await laptop.connect(rig.relay.url, 'ses_lost', 'ana', 'owner');
    await laptop.settled();
    expect((await relayDoc('ses_lost')).document.name).toBe('Kept');
    expect(laptop.doc!.tracks).toHaveLength(1);
  });

  it('flushes the outbox in order after SYNCED and empties it as acks arrive', async () => {
    const laptop = device('lap', offlineSession('ses_order'));
    const { trackId } = withFilter(laptop);
    await laptop.connect(rig.relay.url, 'ses_order', 'ana', 'owner');
    await laptop.settled();
    const tablet = device('tab');
    await tablet.connect(rig.relay.url, 'ses_order', 'tab', 'editor');
    await tablet.until(() => tablet.sync?.status.state === 'synced' && cutoff(tablet.doc, trackId) === 1000, 'tablet has the snapshot');
    const before = (await relayDoc('ses_order')).seq;
    tablet.stop();
    // 120 edits while disconnected, each moving two scalars at once (never compacted): more than one BATCH, and the last one must win.
    for (let i = 1; i <= 120; i += 1) {
      tablet.edit(op('UPDATE_TRACK', { track_id: trackId, changes: { gain_db: -i / 10, pan: i / 120 } }));
    }
    expect(tablet.outbox.entries).toHaveLength(120);
    await tablet.connect(rig.relay.url, 'ses_order', 'tab', 'editor');
    expect(tablet.sync!.status.waiting).toBe(120);
    await tablet.settled();
    const onRelay = await relayDoc('ses_order');
    const track = onRelay.document.tracks.find((t) => t.id === trackId);
    expect([track?.gain_db, track?.pan]).toEqual([-12, 1]);
    // Flushed as a few BATCHes (one seq each), not 120 frames.
    expect(onRelay.seq - before).toBeGreaterThanOrEqual(3);
    expect(onRelay.seq - before).toBeLessThan(10);
    expect(tablet.outbox.entries).toHaveLength(0);
    expect(tablet.doc).toEqual(onRelay.document);
    await laptop.until(() => laptop.doc?.tracks.find((t) => t.id === trackId)?.pan === 1, 'the laptop follows');
  });

  it('a fader ridden offline waits as one op per control, and its newest value reaches the relay', async () => {
    const laptop = device('lap', offlineSession('ses_ride'));
    const { trackId, pluginId } = withFilter(laptop);
    await laptop.connect(rig.relay.url, 'ses_ride', 'ana', 'owner');
    await laptop.settled();
    const tablet = device('tab');
    await tablet.connect(rig.relay.url, 'ses_ride', 'tab', 'editor');
    await tablet.until(() => tablet.sync?.status.state === 'synced' && cutoff(tablet.doc, trackId) === 1000, 'tablet has the snapshot');
    const before = (await relayDoc('ses_ride')).seq;
    tablet.stop();
    for (let i = 1; i <= 600; i += 1) {
      tablet.edit(op('PLUGIN_PARAMETER', { track_id: trackId, plugin_id: pluginId, parameter_id: 'cutoff', parameter_value: 100 + i }));
      tablet.edit(op('UPDATE_TRACK', { track_id: trackId, changes: { gain_db: -i / 100 } }));
    }
    expect(tablet.outbox.entries).toHaveLength(2);
    await tablet.connect(rig.relay.url, 'ses_ride', 'tab', 'editor');
    expect(tablet.sync!.status.waiting).toBe(2);
    await tablet.settled();
    const onRelay = await relayDoc('ses_ride');
    expect(cutoff(onRelay.document, trackId)).toBe(700);
    expect(onRelay.document.tracks.find((t) => t.id === trackId)?.gain_db).toBe(-6);
    // The newest of each control, in one BATCH: one seq, not 1,200.
    expect(onRelay.seq - before).toBe(1);
    expect(tablet.doc).toEqual(onRelay.document);
    await laptop.until(() => cutoff(laptop.doc, trackId) === 700, 'the laptop follows');
  });

  it('1,000 edits queued offline flush paced under a low rate limit, and all reach the relay', async () => {
    const slow = await startRelay({ OUTBOARD_MAX_MESSAGES_PER_SECOND: '10' });
    try {
      const laptop = device('lap', offlineSession('ses_paced'));
      const { trackId } = withFilter(laptop);
      await laptop.connect(slow.url, 'ses_paced', 'ana', 'owner');
      await laptop.settled();
      const tablet = device('tab');
      await tablet.connect(slow.url, 'ses_paced', 'tab', 'editor');
      await tablet.until(() => tablet.sync?.status.state === 'synced', 'tablet synced');
      tablet.stop();
      // Two-field updates never compact: 1,000 ops, 20 BATCH frames, twice what 10 frames/s allows in one second.
      for (let i = 1; i <= 1000; i += 1) tablet.edit(op('UPDATE_TRACK', { track_id: trackId, changes: { gain_db: -(i % 60), pan: (i % 100) / 100 } }));
      const wire = new Diagnostics();
      await tablet.connect(slow.url, 'ses_paced', 'tab', 'editor', { diagnostics: wire });
      await tablet.settled();
      expect(tablet.refused).toEqual([]);
      // What the client controls: no second of its sending holds more frames than the limit. (A relay that stalls and
      // then reads two seconds' frames at once may still refuse some for the rate; those are kept and sent again.)
      const sentAt = wire.entries().filter((e) => e.direction === 'out').map((e) => e.at);
      const busiest = Math.max(...sentAt.map((t) => sentAt.filter((u) => u >= t && u < t + 1000).length));
      expect(busiest).toBeLessThanOrEqual(10);
      const res = await fetch(`${slow.url}/api/sessions/ses_paced`, { headers: { authorization: `Bearer ${await token('ses_paced', 'probe', 'viewer')}` } });
      const onRelay = (await res.json()) as { document: SessionDocument };
      expect(onRelay.document.tracks[0]).toMatchObject({ gain_db: -(1000 % 60), pan: 0 });
      expect(tablet.doc).toEqual(onRelay.document);
    } finally {
      for (const d of rig.devices.splice(0)) d.stop();
      await slow.stop();
      cleanup(slow.dataDir);
    }
  });

  it('resumes after a dropped connection and loses nothing on either side', async () => {
    const laptop = device('lap', offlineSession('ses_resume'));
    const { trackId, pluginId } = withFilter(laptop);
    await laptop.connect(rig.relay.url, 'ses_resume', 'ana', 'owner');
    await laptop.settled();
    const tablet = device('tab');
    await tablet.connect(rig.relay.url, 'ses_resume', 'tab', 'editor');
    await tablet.until(() => tablet.sync?.status.state === 'synced' && cutoff(tablet.doc, trackId) === 1000, 'tablet has the snapshot');

    await rig.restart(() => {
      tablet.edit(op('PLUGIN_PARAMETER', { track_id: trackId, plugin_id: pluginId, parameter_id: 'q', parameter_value: 4 }));
      tablet.edit(op('UPDATE_TRACK', { track_id: trackId, changes: { gain_db: -6 } }));
      laptop.edit(op('UPDATE_SESSION', { changes: { tempo_bpm: 96 } }));
      laptop.edit(op('PLUGIN_PARAMETER', { track_id: trackId, plugin_id: pluginId, parameter_id: 'cutoff', parameter_value: 440 }));
    });
    await Promise.all([laptop.settled(), tablet.settled()]);
    // Key order of meta.clocks follows arrival order; the content must be the same.
    await laptop.until(() => isDeepStrictEqual(laptop.doc, tablet.doc), 'laptop and tablet equal');
    const onRelay = await relayDoc('ses_resume');
    expect(laptop.doc).toEqual(onRelay.document);
    expect(tablet.doc).toEqual(onRelay.document);
    expect(cutoff(onRelay.document, trackId)).toBe(440);
    expect(onRelay.document.tempo_bpm).toBe(96);
    expect(onRelay.document.tracks[0]!.gain_db).toBe(-6);
    // The second connection resumed from the last seq seen instead of asking for a snapshot.
    expect(tablet.urls.at(-1)).toMatch(/since=\d+/);
  });

  it('rolls back a refused op: the document is the confirmed one plus what is still pending', async () => {
    const laptop = device('lap', offlineSession('ses_refuse', 'Before'));
    withFilter(laptop);
    await laptop.connect(rig.relay.url, 'ses_refuse', 'ana', 'owner');
    await laptop.settled();
    // A stamp two days ahead is applied locally but refused by the relay (it would win every later write).
    const future = `${String(Date.now() + 2 * 86_400_000).padStart(15, '0')}:00000:lap`;
    laptop.edit({ ...op('UPDATE_SESSION', { changes: { name: 'From the future' } }), hlc: future });
    // (stamping observed the future stamp; a fresh clock keeps the next op sendable)
    laptop.clock = new HlcClock('lap');
    laptop.edit(op('UPDATE_SESSION', { changes: { tempo_bpm: 133 } }));
    await laptop.until(() => laptop.refused.length === 1, 'the refusal');
    await laptop.settled();
    expect(laptop.refused[0]!.code).toBe('INVALID_MESSAGE');
    expect(laptop.doc!.name).toBe('Before');
    const onRelay = await relayDoc('ses_refuse');
    expect(onRelay.document.name).toBe('Before');
    expect(onRelay.document.tempo_bpm).toBe(133);
    expect(laptop.doc).toEqual(onRelay.document);
  });

  it('keeps a heartbeat with the relay (a token round trip the relay acks)', async () => {
    const tablet = device('tab', offlineSession('ses_beat'));
    await tablet.connect(rig.relay.url, 'ses_beat', 'ana', 'owner', { heartbeatMs: 20 });
    await tablet.until(() => tablet.sync?.status.state === 'synced', 'synced');
    await new Promise<void>((resolve) => {
      const check = setInterval(() => {
        if (tablet.sync?.rttMs === null) return;
        clearInterval(check);
        resolve();
      }, 10);
    });
    expect(tablet.sync!.rttMs).toBeLessThan(1000);
    expect(tablet.sync!.status.state).toBe('synced');
    expect(tablet.refused).toEqual([]);
  });

  it('an in-gesture value whose sender vanishes before the final one (a tablet dies mid-fader) is dropped: every device ends on the relay\'s value', async () => {
    const laptop = device('lap', offlineSession('ses_gone'));
    const { trackId, pluginId } = withFilter(laptop);
    await laptop.connect(rig.relay.url, 'ses_gone', 'ana', 'owner');
    await laptop.settled();
    const durable = cutoff(laptop.doc, trackId);
    const ride = (value: number) => op('PLUGIN_PARAMETER', { track_id: trackId, plugin_id: pluginId, parameter_id: 'cutoff', parameter_value: value });
    const present = (user: string) => laptop.sync!.roster.members.some((m) => m.userId === user);
    const join = async (name: string, user: string) => {
      const d = device(name);
      await d.connect(rig.relay.url, 'ses_gone', user, 'editor');
      await d.until(() => d.sync?.status.state === 'synced', `${name} synced`);
      await laptop.until(() => present(user), `the laptop sees ${user}`);
      return d;
    };

    const tablet = await join('tab', 'ben');
    for (const value of [900, 1200, 2400]) tablet.gesture(ride(value));
    await laptop.until(() => cutoff(laptop.doc, trackId) === 2400, 'the laptop follows the gesture');
    tablet.stop();
    await laptop.until(() => cutoff(laptop.doc, trackId) === durable, 'the laptop back on the relay\'s value');
    expect(cutoff((await relayDoc('ses_gone')).document, trackId)).toBe(durable);

    // A gesture that ended with its final value keeps it when its sender leaves.
    const phone = await join('phone', 'cleo');
    phone.gesture(ride(3000));
    await laptop.until(() => cutoff(laptop.doc, trackId) === 3000, 'the laptop follows the second gesture');
    phone.edit(ride(3100));
    await phone.settled();
    await laptop.until(() => cutoff(laptop.doc, trackId) === 3100, 'the laptop has the final value');
    phone.stop();
    await laptop.until(() => !present('cleo'), 'the phone gone');
    expect(cutoff(laptop.doc, trackId)).toBe(3100);
  });

  it('a viewer receives everything and sends nothing', async () => {
    const laptop = device('lap', offlineSession('ses_view'));
    const { trackId, pluginId } = withFilter(laptop);
    await laptop.connect(rig.relay.url, 'ses_view', 'ana', 'owner');
    await laptop.settled();
    const viewer = device('view');
    await viewer.connect(rig.relay.url, 'ses_view', 'guest', 'viewer');
    await viewer.until(() => viewer.sync?.status.state === 'synced', 'viewer synced');
    expect(viewer.sync!.canEdit).toBe(false);
    viewer.edit(op('UPDATE_SESSION', { changes: { name: 'viewer was here' } }));
    expect(viewer.sync!.status.waiting).toBe(0);
    laptop.edit(op('PLUGIN_PARAMETER', { track_id: trackId, plugin_id: pluginId, parameter_id: 'cutoff', parameter_value: 321 }));
    await viewer.until(() => cutoff(viewer.doc, trackId) === 321, 'viewer sees the cutoff');
    expect((await relayDoc('ses_view')).document.name).toBe('Offline set');
  });
});
