import { describe, expect, it } from 'vitest';
import { GestureStream } from '../../src/sync/gesture-stream.ts';
import { credentialFor, nameFor, saveLinkCredentials, takeLinkCredentials } from '../../src/sync/credentials.ts';
import type { StampedOp } from '../../src/model/index.ts';
import { token } from '../server/helpers.ts';

const param = (control: string, v: number) => ({
  id: `o_${control}_${v}`, type: 'PLUGIN_PARAMETER', hlc: '001795765106246:00000:tab',
  data: { track_id: 't', plugin_id: 'p', parameter_id: control, parameter_value: v },
}) as StampedOp;

describe('four fingers on four faders', () => {
  it('each fader sends at 60 Hz: one BATCH per frame holds every control in motion, within the frame budget', () => {
    let now = 0;
    let tick: (() => void) | null = null;
    const sent: StampedOp[] = [];
    const stream = new GestureStream((o) => sent.push(o), (cb) => (tick = cb), 60, () => now);
    for (let frame = 1; frame <= 60; frame += 1) {
      for (const c of ['a', 'b', 'c', 'd']) stream.push(param(c, frame));
      now += 1000 / 60;
      const t = tick!;
      tick = null;
      t();
    }
    // One frame per animation frame: 60 frames in the second, well under the relay's 100 messages/s.
    expect(sent.length).toBe(60);
    expect(sent.every((o) => o.type === 'BATCH')).toBe(true);
    const values = sent.flatMap((o) => (o.type === 'BATCH' ? o.data.ops : [o]));
    for (const c of ['a', 'b', 'c', 'd']) {
      const mine = values.filter((o) => o.type === 'PLUGIN_PARAMETER' && o.data.parameter_id === c).map((o) => (o.data as { parameter_value: number }).parameter_value);
      // Every frame's newest value of every fader: 60 a second each, in order, each keeping its stamp.
      expect(mine).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
    }
    expect(values.every((o) => o.hlc === '001795765106246:00000:tab')).toBe(true);
  });

  it('a lone fader still sends its plain op, and a finger lifted mid-frame sends nothing after its final value', () => {
    let tick: (() => void) | null = null;
    const sent: StampedOp[] = [];
    const stream = new GestureStream((o) => sent.push(o), (cb) => (tick = cb), 60, () => 0);
    stream.push(param('a', 1));
    stream.push(param('b', 1));
    stream.settle(param('b', 2));
    tick!();
    expect(sent.map((o) => o.type)).toEqual(['PLUGIN_PARAMETER']);
  });
});

describe('links and tokens', () => {
  function fakeLocation(href: string) {
    const state = { href };
    const hist = { state: null, replaceState: (_s: unknown, _t: string, url: string) => (state.href = new URL(url, href).href) };
    return { loc: state as unknown as Location, hist: hist as unknown as History, state };
  }

  it('an invite link is read, kept per session, and removed from the address bar', async () => {
    const jwt = await token('ses_x', 'guest', 'editor');
    const { loc, hist, state } = fakeLocation(`http://relay:8350/?session=ses_x&token=${jwt}#/mixer`);
    const link = takeLinkCredentials(loc, hist);
    expect(link).toEqual({ sessionId: 'ses_x', token: jwt });
    expect(state.href).toBe('http://relay:8350/#/mixer');
    const settings = new Map<string, unknown>();
    const port = { getSetting: async (k: string) => settings.get(k), setSetting: async (k: string, v: unknown) => void settings.set(k, v) };
    expect((await saveLinkCredentials(port, link!))?.role).toBe('editor');
    expect((await credentialFor(port, 'ses_x'))?.token).toBe(jwt);
    expect(await credentialFor(port, 'ses_other')).toBeNull();
  });

  it("a named invite link gives this device its name in that session; a name that is too long or blank is ignored", async () => {
    const jwt = await token('ses_x', 'guest', 'editor');
    const settings = new Map<string, unknown>();
    const port = { getSetting: async (k: string) => settings.get(k), setSetting: async (k: string, v: unknown) => void settings.set(k, v) };
    const named = fakeLocation(`http://relay:8350/?session=ses_x&token=${jwt}&name=${encodeURIComponent(' Tablet ')}`);
    const link = takeLinkCredentials(named.loc, named.hist)!;
    expect(link.name).toBe('Tablet');
    expect(named.state.href).toBe('http://relay:8350/');
    await saveLinkCredentials(port, link);
    expect(await nameFor(port, 'ses_x')).toBe('Tablet');
    expect(await nameFor(port, 'ses_other')).toBeUndefined();
    for (const bad of ['x'.repeat(41), '   ']) {
      const { loc, hist } = fakeLocation(`http://relay:8350/?session=ses_y&token=${jwt}&name=${encodeURIComponent(bad)}`);
      expect(takeLinkCredentials(loc, hist)?.name).toBeUndefined();
    }
  });

  it('the admin URL token serves every session; an expired token is not used', async () => {
    const admin = await token('*', 'admin', 'admin');
    const { loc, hist } = fakeLocation(`http://relay:8350/?token=${admin}`);
    const settings = new Map<string, unknown>();
    const port = { getSetting: async (k: string) => settings.get(k), setSetting: async (k: string, v: unknown) => void settings.set(k, v) };
    await saveLinkCredentials(port, takeLinkCredentials(loc, hist)!);
    expect((await credentialFor(port, 'anything'))?.claims.role).toBe('admin');
    expect(await credentialFor(port, 'anything', Date.now() + 7200_000)).toBeNull();
  });
});
