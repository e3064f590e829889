import { describe, expect, it } from 'vitest';
import { createSession, HlcClock, stampOp } from '../../src/model/index.ts';
import type { AudioEngineApi } from '../../src/engine/types.ts';
import type { SessionDocument } from '../../src/protocol/session.ts';
import type { LocalStore } from '../../src/store/index.ts';
import { SessionController } from '../../src/app/session-controller.ts';
import { AUDIO_ON_KEY, AudioSession } from '../../src/app/audio-session.ts';
import { op } from '../../src/app/op-builders.ts';

/** A store with settings and nothing else to say (the real IndexedDB store is exercised in tests/e2e). */
function open(settings: Record<string, unknown> = {}) {
  const store = {
    putSession: async (_doc: SessionDocument) => undefined,
    appendOutbox: async () => undefined,
    pending: async () => undefined,
    getSetting: async (key: string) => settings[key],
    setSetting: async (key: string, value: unknown) => void (settings[key] = value),
    getSample: async () => undefined,
  } as unknown as LocalStore;
  const ctl = new SessionController(store, new HlcClock('n_laptop'));
  ctl.load(createSession({ id: 'ses_a', name: 'A' }));
  return { ctl, settings, audio: new AudioSession(ctl) };
}

/** A stand-in engine that records transport calls (an AudioContext cannot run in Node; the real one is in tests/e2e/sync-transport.spec.ts). */
function recordingEngine() {
  const calls: string[] = [];
  const engine = {
    playing: false,
    resume: async () => undefined,
    /** Where each start and seek put the transport (seconds from the shared start). */
    positions: [] as number[],
    play: async (from?: () => number) => { calls.push('play'); engine.positions.push(from ? from() : 0); engine.playing = true; },
    stop: () => { calls.push('stop'); engine.playing = false; },
    seek: (position: number) => { calls.push('seek'); engine.positions.push(position); },
    applyChanges: () => undefined,
    loadDocument: () => undefined,
    info: () => ({ outputDevice: '' }),
  };
  return { calls, engine: engine as unknown as AudioEngineApi & { playing: boolean; positions: number[] } };
}

const flush = () => new Promise((r) => setTimeout(r, 0));
const remote = (ctl: SessionController, playing: boolean, startedAt?: number) =>
  ctl.applyRemote(stampOp(ctl.doc!, op('UPDATE_SESSION', { changes: { playing, ...(startedAt === undefined ? {} : { started_at: startedAt }) } }),
    new HlcClock('n_tablet', () => Date.now() + 60_000)));

describe('audio on this device and the shared transport', () => {
  it('a Play from another device starts this engine, a Stop stops it; Play here is an op for everyone', async () => {
    const { ctl, audio } = open();
    await audio.loadSettings();
    const { calls, engine } = recordingEngine();
    ctl.attachEngine(engine);
    remote(ctl, true);
    await flush();
    expect(calls).toEqual(['play']);
    expect(audio.playing).toBe(true);
    remote(ctl, false);
    expect(calls).toEqual(['play', 'stop']);
    const ops: string[] = [];
    ctl.on('op', ({ op: o }) => ops.push(JSON.stringify(o.data)));
    const before = Date.now();
    await audio.play();
    expect(ops).toHaveLength(1);
    const sent = JSON.parse(ops[0]!) as { changes: { playing: boolean; started_at: number } };
    expect(sent.changes.playing).toBe(true);
    // Play says when the shared transport was at 0, on this device's clock.
    expect(sent.changes.started_at).toBeGreaterThanOrEqual(before);
    expect(sent.changes.started_at).toBeLessThanOrEqual(Date.now());
    await flush();
    expect(calls).toEqual(['play', 'stop', 'play']);
  });

  it('with audio off the device never makes an engine, yet drives the transport; the switch is remembered', async () => {
    const { ctl, audio, settings } = open({ [AUDIO_ON_KEY]: false });
    await audio.loadSettings();
    expect(audio.audioOn).toBe(false);
    expect(await audio.ensure()).toBeNull();
    await audio.play();
    remote(ctl, true);
    await flush();
    expect(ctl.engine).toBeNull();
    expect(ctl.doc?.playing).toBe(true);
    // Not connected: nobody is known to be without audio.
    expect(audio.anyAudio).toBe(true);
    audio.setHostsElsewhere(0);
    expect(audio.anyAudio).toBe(false);
    audio.setHostsElsewhere(1);
    expect(audio.anyAudio).toBe(true);
    const { calls, engine } = recordingEngine();
    ctl.attachEngine(engine);
    await audio.setAudioOn(true);
    await flush();
    expect(settings[AUDIO_ON_KEY]).toBe(true);
    // Switched on while the session plays: this device joins in.
    expect(calls).toEqual(['play']);
    await audio.setAudioOn(false);
    expect(calls).toEqual(['play', 'stop']);
  });

  it('the switch is announced once it is saved, and off silences the engine before the save', async () => {
    const { ctl, audio, settings } = open();
    await audio.loadSettings();
    const { calls, engine } = recordingEngine();
    ctl.attachEngine(engine);
    let save: () => void = () => undefined;
    (ctl.store as unknown as { setSetting: (k: string, v: unknown) => Promise<void> }).setSetting =
      (key, value) => new Promise((done) => { save = () => { settings[key] = value; done(); }; });
    const heard: boolean[] = [];
    audio.on('change', () => heard.push(audio.audioOn));
    const switched = audio.setAudioOn(false);
    expect(calls).toEqual(['stop']);
    expect(audio.audioOn).toBe(false);
    // Presence would tell the other devices now: a reload at that moment must find the choice saved.
    expect(heard).toEqual([]);
    save();
    await switched;
    expect(settings[AUDIO_ON_KEY]).toBe(false);
    expect(heard).toEqual([false]);
  });

  it('a host starts at the shared position: a late joiner where the others are, a Play that won moves the transport', async () => {
    const { ctl, audio } = open();
    await audio.loadSettings();
    const { calls, engine } = recordingEngine();
    ctl.attachEngine(engine);
    // Play was pressed elsewhere 5 s ago: this engine starts 5 s in, not at 0.
    remote(ctl, true, Date.now() - 5_000);
    await flush();
    expect(calls).toEqual(['play']);
    expect(engine.positions[0]).toBeGreaterThanOrEqual(5);
    expect(engine.positions[0]).toBeLessThan(6);
    // Another device's Play with a later start won the register: the playing engine moves there.
    remote(ctl, true, Date.now() - 1_000);
    expect(calls).toEqual(['play', 'seek']);
    expect(engine.positions[1]).toBeGreaterThanOrEqual(1);
    expect(engine.positions[1]).toBeLessThan(2);
    // Audio switched off and on again while playing: back in at the current position.
    await audio.setAudioOn(false);
    await audio.setAudioOn(true);
    await flush();
    expect(calls).toEqual(['play', 'seek', 'stop', 'play']);
    expect(engine.positions[2]).toBeGreaterThanOrEqual(1);
  });
});

describe('samples the document uses', () => {
  it('are loaded for a new document and a new file source, while a fader move walks no track', async () => {
    const asked: string[] = [];
    const stored = new Set(['s_kick', 's_snare']);
    const { ctl, audio } = open();
    (ctl.store as unknown as { getSample: (id: string) => Promise<unknown> }).getSample = async (id: string) => {
      asked.push(id);
      return stored.has(id) ? { name: `${id}.wav`, bytes: new ArrayBuffer(8) } : undefined;
    };
    const loaded: string[] = [];
    const engine = {
      ...recordingEngine().engine,
      decode: async () => ({ channels: [new Float32Array(4)], sampleRate: 48_000 }),
      setSample: async (id: string) => void loaded.push(id),
    } as unknown as AudioEngineApi;
    ctl.dispatch(op('ADD_TRACK', { track: { id: 't_kick', name: 'Kick', source: { kind: 'file', sample_id: 's_kick', name: 'kick.wav' } } }));
    ctl.dispatch(op('ADD_TRACK', { track: { id: 't_pad', name: 'Pad', source: { kind: 'file', sample_id: 's_pad', name: 'pad.wav' } } }));
    ctl.attachEngine(engine);
    await audio.ensure();
    expect(loaded).toEqual(['s_kick']);
    expect(asked).toEqual(['s_kick', 's_pad']);

    // Count every read of the other track's source: the model shares that track object between documents.
    let reads = 0;
    const pad = ctl.doc!.tracks[1]!;
    const source = pad.source;
    Object.defineProperty(pad, 'source', { enumerable: true, get: () => (reads++, source) });
    for (let i = 0; i < 20; i++) ctl.dispatch(op('UPDATE_TRACK', { track_id: 't_kick', changes: { gain_db: -i } }), { ephemeral: i < 19 });
    await flush();
    expect(reads).toBe(0);
    expect(asked).toEqual(['s_kick', 's_pad']);

    ctl.dispatch(op('UPDATE_TRACK', { track_id: 't_kick', changes: { source: { kind: 'file', sample_id: 's_snare', name: 'snare.wav' } } }));
    await flush();
    expect(loaded).toEqual(['s_kick', 's_snare']);

    stored.add('s_hat');
    ctl.replaceDocument({ ...ctl.doc!, tracks: [...ctl.doc!.tracks, { ...pad, id: 't_hat', source: { kind: 'file', sample_id: 's_hat', name: 'hat.wav' } }] });
    await flush();
    expect(loaded).toEqual(['s_kick', 's_snare', 's_hat']);
  });
});
