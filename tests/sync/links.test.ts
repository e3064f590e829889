/**
 * Links that last as long as the owner wants (issue 12 §3), against a real
 * relay: access tokens renewed over the socket, a device offline past its
 * token rejoining by itself, a device past its link keeping every edit and
 * merging them once given a new link, and a revoked invite said plainly.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { token } from '../server/helpers.ts';
import { useRelayRig } from './relay-rig.ts';
import { Device, offlineSession } from '../../bench/sync-device.ts';
import { addPluginOp, addTrackOps, batch, op } from '../../src/app/op-builders.ts';
import type { SessionDocument } from '../../src/protocol/session.ts';
import { decodeClaims } from '../../src/sync/jwt.ts';

/** Access tokens live 2 s here, so a device can outlive one within a test. */
const ENV = { OUTBOARD_ACCESS_TOKEN_TTL_S: '2' };
const rig = useRelayRig(ENV);
const device = rig.device;
const relayDoc = rig.doc;

/** Resolves once the wall clock is past a token's `exp` (the relay refuses it from then on). */
async function outlive(jwt: string): Promise<void> {
  const end = decodeClaims(jwt)!.exp * 1000 + 100;
  while (Date.now() < end) await new Promise((r) => setTimeout(r, end - Date.now()));
}


/** A laptop that owns `id`, with a track and a filter on the relay. */
async function laptopWithFilter(id: string): Promise<{ laptop: Device; trackId: string; pluginId: string }> {
  const laptop = device('lap', offlineSession(id));
  const { trackId, ops } = addTrackOps('audio', 'Bass');
  const add = addPluginOp(trackId, 'filter');
  laptop.edit(batch([...ops, add]));
  await laptop.connect(rig.relay.url, id, 'ana', 'owner');
  await laptop.settled();
  return { laptop, trackId, pluginId: add.type === 'ADD_PLUGIN' ? add.data.plugin.id : '' };
}

async function invite(id: string, lifetime = '1h'): Promise<{ id: string; token: string }> {
  const res = await fetch(`${rig.relay.url}/api/sessions/${id}/invites`, {
    method: 'POST', headers: { authorization: `Bearer ${await token(id, 'ana', 'owner')}` }, body: JSON.stringify({ role: 'editor', lifetime }),
  });
  return (await res.json()) as { id: string; token: string };
}

const cutoff = (doc: SessionDocument | null, trackId: string) => doc?.tracks.find((t) => t.id === trackId)?.chain[0]?.params.cutoff;

describe('tokens that renew', () => {
  it('a tablet offline past its access token, inside its invite, rejoins by itself and loses nothing', async () => {
    const { laptop, trackId, pluginId } = await laptopWithFilter('ses_renew');
    const link = await invite('ses_renew');
    const tablet = device('tab');
    await tablet.connectWith(rig.relay.url, 'ses_renew', link.token, { link: link.token });
    await tablet.until(() => tablet.tokens.length > 0 && tablet.sync?.status.state === 'synced', 'an access token over the socket');
    expect(decodeClaims(tablet.tokens[0]!)).toMatchObject({ sid: 'ses_renew', role: 'editor' });

    await rig.restart(async () => {
      await tablet.until(() => tablet.sync?.status.state === 'offline', 'the tablet sees the relay go');
      tablet.edit(op('PLUGIN_PARAMETER', { track_id: trackId, plugin_id: pluginId, parameter_id: 'cutoff', parameter_value: 321 }));
      tablet.edit(op('UPDATE_SESSION', { changes: { name: 'Typed on the train' } }));
      await outlive(tablet.tokens.at(-1)!);
    });

    await tablet.settled();
    expect(tablet.sync!.status.refusal).toBeNull();
    const onRelay = await relayDoc('ses_renew');
    expect(cutoff(onRelay.document, trackId)).toBe(321);
    expect(onRelay.document.name).toBe('Typed on the train');
    await laptop.until(() => laptop.doc?.name === 'Typed on the train', 'the laptop has it');
  });

  it('reopened later with an expired access token, the app joins with its link and is handed a new one', async () => {
    await laptopWithFilter('ses_reopen');
    const link = await invite('ses_reopen');
    const first = device('tab');
    await first.connectWith(rig.relay.url, 'ses_reopen', link.token, { link: link.token });
    await first.until(() => first.tokens.length > 0, 'an access token');
    const stale = first.tokens.at(-1)!;
    first.stop();
    await outlive(stale);
    const reopened = device('tab');
    await reopened.connectWith(rig.relay.url, 'ses_reopen', stale, { link: link.token });
    await reopened.until(() => reopened.sync?.status.state === 'synced' && reopened.tokens.length > 0, 'joined again, with a fresh token');
    expect(reopened.sync!.status.refusal).toBeNull();
  });
});

describe('links that end', () => {
  it('past its link a tablet keeps every edit, says so plainly, and merges them once given a new link', async () => {
    const { trackId, pluginId } = await laptopWithFilter('ses_past');
    const shortLink = await token('ses_past', 'tab', 'editor', 2);
    const tablet = device('tab');
    await tablet.connectWith(rig.relay.url, 'ses_past', shortLink, { link: shortLink });
    await tablet.until(() => tablet.sync?.status.state === 'synced' && cutoff(tablet.doc, trackId) === 1000, 'tablet synced');
    // The relay closes the socket when the token runs out (4401); the tablet keeps working.
    await tablet.until(() => tablet.sync?.status.refusal !== null, 'the link has ended', 10_000);
    for (let i = 0; i < 5; i += 1) tablet.edit(op('UPDATE_TRACK', { track_id: trackId, changes: { name: `Bass ${i}` } }));
    tablet.edit(op('PLUGIN_PARAMETER', { track_id: trackId, plugin_id: pluginId, parameter_id: 'q', parameter_value: 3 }));
    const status = tablet.sync!.status;
    expect(status.refusal?.code).toBe('UNAUTHORIZED');
    expect(status.refusal?.message).toMatch(/expired.*kept on this device.*new link/);
    expect(status.waiting).toBe(2);
    expect(tablet.outbox.entries).toHaveLength(2);

    const newLink = await token('ses_past', 'tab', 'editor');
    await tablet.connectWith(rig.relay.url, 'ses_past', newLink, { link: newLink });
    await tablet.settled();
    const onRelay = await relayDoc('ses_past');
    const track = onRelay.document.tracks.find((t) => t.id === trackId)!;
    expect(track.name).toBe('Bass 4');
    expect(track.chain[0]!.params.q).toBe(3);
  });

  it('a revoked invite closes the tablet\'s socket with the reason shown; what it typed after is kept', async () => {
    const { trackId } = await laptopWithFilter('ses_revoke');
    const link = await invite('ses_revoke', 'until_revoked');
    const tablet = device('tab');
    await tablet.connectWith(rig.relay.url, 'ses_revoke', link.token, { link: link.token });
    await tablet.until(() => tablet.sync?.status.state === 'synced', 'tablet synced');
    await fetch(`${rig.relay.url}/api/sessions/ses_revoke/invites/${link.id}`, { method: 'DELETE', headers: { authorization: `Bearer ${await token('ses_revoke', 'ana', 'owner')}` } });
    await tablet.until(() => tablet.sync?.status.refusal !== null, 'the revocation is shown');
    expect(tablet.sync!.status.state).toBe('offline');
    expect(tablet.sync!.status.refusal?.message).toMatch(/^the owner revoked this invite\. Your changes are kept/);
    tablet.edit(op('UPDATE_TRACK', { track_id: trackId, changes: { gain_db: -3 } }));
    expect(tablet.sync!.status.waiting).toBe(1);
    // It does not knock on the relay's door again with a revoked link.
    const attempts = tablet.urls.length;
    await new Promise((r) => setTimeout(r, 300));
    expect(tablet.urls.length).toBe(attempts);
  });
});

describe('a week offline', () => {
  afterEach(() => void vi.useRealTimers());

  it('hours of edits over 7 days (a fake clock): everything arrives, the outbox stayed small, and the token was renewed', async () => {
    const { laptop, trackId, pluginId } = await laptopWithFilter('ses_week');
    laptop.stop();
    const link = await invite('ses_week', 'until_revoked');
    const tablet = device('tab');
    await tablet.connectWith(rig.relay.url, 'ses_week', link.token, { link: link.token });
    await tablet.until(() => tablet.tokens.length > 0 && tablet.sync?.status.state === 'synced', 'an access token');
    tablet.stop();

    // Only the wall clock is faked (timers stay real): the relay, the tokens and the clocks of the ops all read it.
    vi.useFakeTimers({ toFake: ['Date'] });
    const start = Date.now();
    let largest = 0;
    let cutoffValue = 0;
    for (let hour = 1; hour <= 7 * 24; hour += 1) {
      vi.setSystemTime(start + hour * 3600_000);
      // An hour of playing: a cutoff ride, the track fader, a Q tweak, and now and then a name.
      for (let i = 0; i < 30; i += 1) {
        cutoffValue = 200 + ((hour * 30 + i) % 5000);
        tablet.edit(op('PLUGIN_PARAMETER', { track_id: trackId, plugin_id: pluginId, parameter_id: 'cutoff', parameter_value: cutoffValue }));
        tablet.edit(op('UPDATE_TRACK', { track_id: trackId, changes: { gain_db: -((hour + i) % 24) } }));
      }
      tablet.edit(op('PLUGIN_PARAMETER', { track_id: trackId, plugin_id: pluginId, parameter_id: 'q', parameter_value: 1 + (hour % 10) }));
      if (hour % 24 === 0) tablet.edit(op('UPDATE_TRACK', { track_id: trackId, changes: { name: `Day ${hour / 24}` } }));
      largest = Math.max(largest, tablet.outbox.entries.length);
    }
    // 10,248 edits; one waiting entry per control.
    expect(largest).toBe(4);

    const stale = tablet.tokens.at(-1)!;
    expect(decodeClaims(stale)!.exp * 1000).toBeLessThan(Date.now());
    await tablet.connectWith(rig.relay.url, 'ses_week', stale, { link: link.token });
    await tablet.settled();
    // The relay hands the rejoined device a fresh access token over the socket (a TOKEN frame), in its own time.
    await tablet.until(() => decodeClaims(tablet.tokens.at(-1)!)!.exp * 1000 > Date.now(), 'a renewed access token');
    const renewed = decodeClaims(tablet.tokens.at(-1)!)!;
    expect(renewed.exp * 1000).toBeGreaterThan(Date.now());
    expect(tablet.sync!.status.refusal).toBeNull();

    const onRelay = await relayDoc('ses_week');
    const track = onRelay.document.tracks.find((t) => t.id === trackId)!;
    expect(track).toMatchObject({ name: 'Day 7', gain_db: -((7 * 24 + 29) % 24) });
    expect(track.chain[0]!.params).toMatchObject({ cutoff: cutoffValue, q: 1 + ((7 * 24) % 10) });
    expect(tablet.doc).toEqual(onRelay.document);
  });
});
