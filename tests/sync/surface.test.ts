import { describe, expect, it } from 'vitest';
import { GestureStream } from '../../src/sync/gesture-stream.ts';
import { credentialFor, nameFor, saveLinkCredentials, takeLinkCredentials } from '../../src/sync/credentials.ts';
import type { StampedOp } from '../../src/model/index.ts';
import { token } from '../server/helpers.ts';

const param = (control: string, v: number) => ({
  id: `o_${control}_${v}`, type: 'PLUGIN_PARAMETER', hlc: '001795765106246:00000:tab',
  data: { track_id: 't', plugin_id: 'p', parameter_id: control, parameter_value: v },
}) as StampedOp;

/**
 * A page's event loop in order, driven by the test: `task()` ends the input
 * task that is running (its after-task callbacks run), `frame()` begins the
 * next animation frame (its frame callbacks run). No clock: order only.
 */
function loop(perSecond = 60) {
  let now = 0;
  let tasks: (() => void)[] = [];
  let frames: (() => void)[] = [];
  const sent: StampedOp[] = [];
  const stream = new GestureStream((o) => sent.push(o), (cb) => frames.push(cb), perSecond, () => now, (cb) => tasks.push(cb));
  return {
    stream, sent,
    task: () => {
      const run = tasks;
      tasks = [];
      run.forEach((cb) => cb());
    },
    frame: () => {
      now += 1000 / 60;
      const run = frames;
      frames = [];
      run.forEach((cb) => cb());
    },
  };
}

const valuesOf = (sent: StampedOp[], control: string) => sent
  .flatMap((o) => (o.type === 'BATCH' ? o.data.ops : [o]))
  .filter((o) => o.type === 'PLUGIN_PARAMETER' && o.data.parameter_id === control)
  .map((o) => (o.data as { parameter_value: number }).parameter_value);

describe('four fingers on four faders', () => {
  it('each fader sends at 60 Hz: one BATCH per frame holds every control in motion, within the frame budget', () => {
    const l = loop();
    for (let frame = 1; frame <= 60; frame += 1) {
      // One touch move carries all four fingers: one input task.
      for (const c of ['a', 'b', 'c', 'd']) l.stream.push(param(c, frame));
      l.task();
      l.frame();
    }
    // One frame per animation frame: 60 frames in the second, well under the relay's 100 messages/s.
    expect(l.sent.length).toBe(60);
    expect(l.sent.every((o) => o.type === 'BATCH')).toBe(true);
    // Every frame's newest value of every fader: 60 a second each, in order, each keeping its stamp.
    for (const c of ['a', 'b', 'c', 'd']) expect(valuesOf(l.sent, c)).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
    expect(l.sent.flatMap((o) => (o.type === 'BATCH' ? o.data.ops : [o])).every((o) => o.hlc === '001795765106246:00000:tab')).toBe(true);
  });

  it('the same, where pointer events come aligned to the frame (inside it, before its callbacks): still one BATCH per frame', () => {
    const l = loop();
    for (let frame = 1; frame <= 60; frame += 1) {
      for (const c of ['a', 'b', 'c', 'd']) l.stream.push(param(c, frame));
      l.frame();
      l.task();
    }
    expect(l.sent.length).toBe(60);
    expect(l.sent.every((o) => o.type === 'BATCH')).toBe(true);
    for (const c of ['a', 'b', 'c', 'd']) expect(valuesOf(l.sent, c)).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
  });

  it('a lone fader still sends its plain op, and a finger lifted mid-frame sends nothing after its final value', () => {
    const l = loop();
    l.stream.push(param('a', 1));
    l.stream.push(param('b', 1));
    l.stream.settle(param('b', 2));
    l.task();
    l.frame();
    expect(l.sent.map((o) => o.type)).toEqual(['PLUGIN_PARAMETER']);
  });
});

describe('a value entered in frame N is on the wire in frame N', () => {
  it('the first move of a frame leaves when its input task ends, before the next frame begins', () => {
    const l = loop();
    l.stream.push(param('a', 1));
    expect(l.sent).toEqual([]); // not inside the handler: the other fingers of the same touch move come first
    l.task();
    expect(valuesOf(l.sent, 'a')).toEqual([1]);
  });

  it('after a frame with no moves, the next move leaves at once again (no frame of delay after a pause)', () => {
    const l = loop();
    l.stream.push(param('a', 1));
    l.task();
    l.frame();
    l.frame();
    l.stream.push(param('a', 2));
    l.task();
    expect(valuesOf(l.sent, 'a')).toEqual([1, 2]);
  });

  it('moves after the frame\'s first send wait for the next frame, newest value only: never two frames in one', () => {
    const l = loop();
    l.stream.push(param('a', 1));
    l.task();
    // A faster digitizer: two more input tasks before the next frame.
    l.stream.push(param('a', 2));
    l.task();
    l.stream.push(param('a', 3));
    l.task();
    expect(l.sent.length).toBe(1);
    l.frame();
    expect(valuesOf(l.sent, 'a')).toEqual([1, 3]);
  });

  it('a value whose frame began before its input task could send it leaves with that frame, and the next frame\'s first move still leaves at once', () => {
    const l = loop();
    l.stream.push(param('a', 1));
    // The page renders before the task that sends: the next frame's callback sends the value of the frame it came in.
    l.frame();
    expect(valuesOf(l.sent, 'a')).toEqual([1]);
    // The new frame's first move is not held for the frame after (nor is each move after it, a frame late each).
    l.stream.push(param('a', 2));
    l.task();
    expect(valuesOf(l.sent, 'a')).toEqual([1, 2]);
    l.stream.push(param('a', 3));
    l.task();
    expect(valuesOf(l.sent, 'a')).toEqual([1, 2]);
    l.frame();
    expect(valuesOf(l.sent, 'a')).toEqual([1, 2, 3]);
  });

  it('a finger whose every input task ends after the frame began still sends one frame per animation frame', () => {
    const l = loop();
    for (let frame = 1; frame <= 60; frame += 1) {
      l.stream.push(param('a', frame * 2));
      l.frame();
      l.stream.push(param('a', frame * 2 + 1));
      l.task();
    }
    expect(l.sent.length).toBeLessThanOrEqual(61);
    l.frame();
    expect(valuesOf(l.sent, 'a').at(-1)).toBe(121);
  });

  it('a digitizer faster than the display still sends no more than one frame per animation frame', () => {
    const l = loop();
    for (let frame = 1; frame <= 60; frame += 1) {
      for (const half of [0, 1]) {
        l.stream.push(param('a', frame * 2 + half));
        l.task();
      }
      l.frame();
    }
    expect(l.sent.length).toBeLessThanOrEqual(61);
    // The newest value always gets out.
    expect(valuesOf(l.sent, 'a').at(-1)).toBe(121);
  });

  it('the token bucket still caps a burst of frames (here 30 a second)', () => {
    const l = loop(30);
    for (let frame = 1; frame <= 60; frame += 1) {
      l.stream.push(param('a', frame));
      l.task();
      l.frame();
    }
    // 30 a second plus the burst allowance of a tenth of a second.
    expect(l.sent.length).toBeLessThanOrEqual(30 + 3);
    l.frame();
    l.frame();
    expect(valuesOf(l.sent, 'a').at(-1)).toBe(60);
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
