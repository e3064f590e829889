// The MIDI binding over a real SessionController (model, ops, outbox order).
// The store is an in-memory stand-in for IndexedDB, which Node lacks; the
// Playwright spec tests/e2e/midi.spec.ts runs the same path on the real one.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Remote } from 'comlink';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { EngineFeed } from '../../../src/engine/engine-feed.ts';
import { ParamWriter } from '../../../src/engine/param-writer.ts';
import type { AudioEngineApi } from '../../../src/engine/types.ts';
import { WebMidiInputs } from '../../../src/app/midi/web-midi.ts';
import { createDspHost } from '../../../worklets/wasm-dsp-host.ts';
import { EngineRunner } from '../../../worklets/engine-runner.ts';
import { ParamRing } from '../../../worklets/shared/param-ring.ts';
import { MeterBlock } from '../../../worklets/shared/meter-block.ts';
import type { EngineCommand, EngineRpc } from '../../../worklets/shared/rpc.ts';
import { createSession, HlcClock } from '../../../src/model/index.ts';
import type { LocalStore } from '../../../src/store/index.ts';
import { SessionController } from '../../../src/app/session-controller.ts';
import { addTrackOps, batch, moveTrackOp, op } from '../../../src/app/op-builders.ts';
import { MappingBook, MAPPINGS_SETTING_PREFIX } from '../../../src/app/midi/mapping-book.ts';
import { MidiControl } from '../../../src/app/midi/midi-control.ts';
import { paramControlKey, trackControlKey } from '../../../src/protocol/controls.ts';
import { MIDI_MAPPING_FORMAT } from '../../../src/protocol/midi-mapping.ts';

const PAD = 'Launch Control XL';

function memoryStore() {
  const settings = new Map<string, unknown>();
  const outbox: { type: string }[] = [];
  const store = {
    putSession: async () => undefined,
    appendOutbox: async (_id: string, ops: readonly { type: string }[]) => void outbox.push(...ops),
    pending: async () => undefined,
    setSetting: async (key: string, value: unknown) => void settings.set(key, structuredClone(value)),
    deleteSetting: async (key: string) => void settings.delete(key),
    listSettings: async (prefix: string) => [...settings].filter(([k]) => k.startsWith(prefix)).map(([key, value]) => ({ key, value: structuredClone(value) })),
  };
  return { settings, outbox, store: store as unknown as LocalStore };
}

function rig() {
  const mem = memoryStore();
  const ctl = new SessionController(mem.store, new HlcClock('n_midi'));
  ctl.load(createSession({ id: 'ses_m', name: 'M' }));
  const synth = addTrackOps('synth', 'Lead');
  const bass = addTrackOps('synth', 'Bass');
  ctl.dispatch(batch([...synth.ops, ...bass.ops]));
  const book = new MappingBook(mem.store);
  const transport = { playing: false, play() { this.playing = true; }, stop() { this.playing = false; } };
  const midi = new MidiControl();
  midi.connect({ ctl, book, transport });
  const lead = () => ctl.doc!.tracks.find((t) => t.id === synth.trackId)!;
  const synthPlugin = lead().chain[0]!.id;
  let now = 0;
  const send = (...bytes: number[]) => midi.handle(PAD, new Uint8Array(bytes), (now += 100));
  return { ...mem, ctl, book, midi, transport, lead, leadId: synth.trackId, bassId: bass.trackId, synthPlugin, send };
}

describe('MIDI learn and mapped controls', () => {
  it('learn: choose the synth cutoff, turn a knob, and the knob moves the cutoff (ephemeral, then one durable op)', async () => {
    const r = rig();
    await r.midi.setLearning(true);
    r.midi.select({ kind: 'param', track_id: r.leadId, plugin_id: r.synthPlugin, parameter_id: 'cutoff' });
    r.send(0xb0, 74, 64);
    expect(r.midi.mappingFor(paramControlKey(r.leadId, r.synthPlugin, 'cutoff'))).toMatchObject({
      controller: PAD, mapping: { source: { kind: 'cc', channel: 0, cc: 74, mode: 'absolute' }, takeover: 'pickup' },
    });
    expect(r.midi.learning).toBe(true); // stays on for the next control
    await r.ctl.outboxWritten();
    const before = r.outbox.length;
    const cutoff = () => r.lead().chain[0]!.params.cutoff!;
    const start = cutoff();
    // The knob at the value's position is picked up at once, then moves it.
    r.midi.setLearning(false);
    r.send(0xb0, 74, 64);
    r.send(0xb0, 74, 100);
    expect(cutoff()).toBeGreaterThan(start);
    await r.ctl.outboxWritten();
    expect(r.outbox.length).toBe(before); // in-gesture values are not queued
    r.midi.settle();
    await r.ctl.outboxWritten();
    expect(r.outbox.slice(before).map((o) => o.type)).toEqual(['PLUGIN_PARAMETER']);
  });

  it('pick-up: a far knob does nothing until it crosses the value, and a ghost shows where it is', () => {
    const r = rig();
    void r.book.put(PAD, { id: 'm_gain', source: { kind: 'cc', channel: 0, cc: 7, mode: 'absolute' }, target: { kind: 'track', track_id: r.leadId, field: 'gain_db' }, takeover: 'pickup' });
    const key = trackControlKey(r.leadId, 'gain_db');
    const gain = r.lead().gain_db; // 0 dB sits high on the fader's travel
    r.send(0xb0, 7, 0);
    r.send(0xb0, 7, 20);
    expect(r.lead().gain_db).toBe(gain);
    expect(r.midi.ghost(key)).toBeCloseTo(20 / 127);
    r.send(0xb0, 7, 127); // swept past the value: now it has it
    expect(r.lead().gain_db).toBe(12);
    expect(r.midi.ghost(key)).toBeNull();
  });

  it('learns a 14-bit pair from its MSB and LSB, and reads it at full resolution', async () => {
    const r = rig();
    await r.midi.setLearning(true);
    r.midi.select({ kind: 'track', track_id: r.leadId, field: 'pan' });
    r.send(0xb0, 1, 64); // MSB
    r.send(0xb0, 33, 0); // LSB: the pair becomes one mapping
    expect(r.book.mappings(PAD)).toHaveLength(1);
    expect(r.book.mappings(PAD)[0]!.source).toEqual({ kind: 'cc', channel: 0, cc: 1, mode: 'absolute14' });
    await r.midi.setLearning(false);
    r.send(0xb0, 1, 64);
    r.send(0xb0, 33, 0); // 8192/16383: centre, within the threshold of pan 0: picked up
    r.send(0xb0, 1, 80);
    r.send(0xb0, 33, 100);
    expect(r.lead().pan).toBeCloseTo((((80 << 7) | 100) / 16383) * 2 - 1, 2);
  });

  it('an endless encoder (two\'s complement) nudges from wherever the value is, no takeover needed', () => {
    const r = rig();
    void r.book.put(PAD, { id: 'm_enc', source: { kind: 'cc', channel: 0, cc: 21, mode: 'relative-twos' }, target: { kind: 'track', track_id: r.leadId, field: 'pan' }, takeover: 'pickup' });
    r.send(0xb0, 21, 4);
    expect(r.lead().pan).toBeCloseTo(2 * (4 / 128), 2);
    r.send(0xb0, 21, 124); // -4
    expect(r.lead().pan).toBeCloseTo(0, 2);
  });

  it('a pad (note) flips mute, a CC button flips solo on press only, and Play/Stop toggles the transport', async () => {
    const r = rig();
    await r.midi.setLearning(true);
    r.midi.select({ kind: 'track', track_id: r.leadId, field: 'mute' });
    r.send(0x99, 36, 100);
    r.send(0x89, 36, 0);
    r.midi.select({ kind: 'track', track_id: r.leadId, field: 'solo' });
    r.send(0xb0, 64, 127);
    r.send(0xb0, 64, 0);
    r.midi.select({ kind: 'transport' });
    r.send(0x90, 94, 127);
    await r.midi.setLearning(false);
    r.send(0x99, 36, 100);
    expect(r.lead().mute).toBe(true);
    r.send(0x89, 36, 0);
    expect(r.lead().mute).toBe(true);
    r.send(0x99, 36, 90);
    expect(r.lead().mute).toBe(false);
    r.send(0xb0, 64, 127);
    r.send(0xb0, 64, 0);
    expect(r.lead().solo).toBe(true);
    r.send(0x90, 94, 127);
    expect(r.transport.playing).toBe(true);
  });

  it('a knob learned for a second control leaves the first, and the learn banner says which control lost it', async () => {
    const r = rig();
    await r.midi.setLearning(true);
    r.midi.select({ kind: 'track', track_id: r.leadId, field: 'pan' });
    r.send(0xb0, 10, 64);
    expect(r.midi.status).toBe('CC 10 → Lead · Pan. Choose the next control, or press Learn to finish.');
    // The same knob, bumped while choosing the next control.
    r.midi.select({ kind: 'track', track_id: r.bassId, field: 'gain_db' });
    r.send(0xb0, 10, 65);
    expect(r.midi.status).toBe('CC 10 → Bass · Gain. Lead · Pan is no longer mapped to it. Choose the next control, or press Learn to finish.');
    expect(r.midi.mappingFor(trackControlKey(r.leadId, 'pan'))).toBeUndefined();
    // Learning it again for the control it already moves says nothing of the kind.
    r.midi.select({ kind: 'track', track_id: r.bassId, field: 'gain_db' });
    r.send(0xb0, 10, 66);
    expect(r.midi.status).toBe('CC 10 → Bass · Gain. Choose the next control, or press Learn to finish.');
  });

  it('refuses to learn a note onto a knob, saying why', async () => {
    const r = rig();
    await r.midi.setLearning(true);
    r.midi.select({ kind: 'track', track_id: r.leadId, field: 'gain_db' });
    r.send(0x90, 60, 100);
    expect(r.book.mappings(PAD)).toHaveLength(0);
    expect(r.midi.status).toMatch(/note or pad can flip a toggle/);
  });

  it('follows the session, not the screen: a mapping still moves its track after the tracks are reordered', () => {
    const r = rig();
    void r.book.put(PAD, { id: 'm_pan', source: { kind: 'cc', channel: 0, cc: 10, mode: 'absolute' }, target: { kind: 'track', track_id: r.bassId, field: 'pan' }, takeover: 'jump' });
    r.ctl.dispatch(moveTrackOp(r.bassId, 0));
    r.send(0xb0, 10, 127);
    expect(r.ctl.doc!.tracks[0]!.id).toBe(r.bassId);
    expect(r.ctl.doc!.tracks[0]!.pan).toBe(1);
    expect(r.lead().pan).toBe(0);
  });

  it('a mapping whose plugin was removed does nothing (and says so in its label)', () => {
    const r = rig();
    void r.book.put(PAD, { id: 'm_q', source: { kind: 'cc', channel: 0, cc: 71, mode: 'absolute' }, target: { kind: 'param', track_id: r.leadId, plugin_id: r.synthPlugin, parameter_id: 'resonance' }, takeover: 'jump' });
    r.ctl.dispatch(op('REMOVE_PLUGIN', { track_id: r.leadId, plugin_id: r.synthPlugin }));
    const before = r.ctl.doc;
    r.send(0xb0, 71, 127);
    expect(r.ctl.doc).toBe(before);
  });
});

describe('mappings kept per controller', () => {
  it('survive a reload: a new book reads them back from the settings store, keyed by controller name', async () => {
    const r = rig();
    await r.book.put(PAD, { id: 'm1', source: { kind: 'cc', channel: 0, cc: 7, mode: 'absolute' }, target: { kind: 'track', track_id: r.leadId, field: 'gain_db' }, takeover: 'scale' });
    await r.book.put('nanoKEY2', { id: 'm2', source: { kind: 'note', channel: 0, note: 48 }, target: { kind: 'transport' }, takeover: 'pickup' });
    expect([...r.settings.keys()].sort()).toEqual([`${MAPPINGS_SETTING_PREFIX}${PAD}`, `${MAPPINGS_SETTING_PREFIX}nanoKEY2`]);
    const again = new MappingBook(r.store);
    await again.load();
    expect(again.toFile()).toEqual(r.book.toFile());
  });

  it('skips a corrupt stored record with its reason, keeping the others', async () => {
    const r = rig();
    await r.book.put(PAD, { id: 'm1', source: { kind: 'cc', channel: 0, cc: 7, mode: 'absolute' }, target: { kind: 'transport' }, takeover: 'pickup' });
    r.settings.set(`${MAPPINGS_SETTING_PREFIX}Broken`, { format: MIDI_MAPPING_FORMAT, controllers: [{ name: 'Broken', mappings: 'no' }] });
    const again = new MappingBook(r.store);
    await again.load();
    expect(again.controllers).toEqual([PAD]);
    expect(again.skipped).toEqual([{ key: `${MAPPINGS_SETTING_PREFIX}Broken`, reason: expect.stringMatching(/controllers\.0\.mappings/) }]);
  });

  it('export, clear, import restores every mapping; a bad file is refused with a clear message and changes nothing', async () => {
    const r = rig();
    await r.book.put(PAD, { id: 'm1', source: { kind: 'cc', channel: 0, cc: 7, mode: 'absolute14' }, target: { kind: 'track', track_id: r.leadId, field: 'gain_db' }, takeover: 'scale' });
    const file = JSON.stringify(r.book.toFile());
    await r.book.clear();
    expect(r.book.controllers).toEqual([]);
    expect(r.settings.size).toBe(0);
    expect(await r.book.importText(file)).toMatchObject({ ok: true });
    expect(JSON.stringify(r.book.toFile())).toBe(file);
    const stored = structuredClone([...r.settings]);
    for (const bad of ['{"format":"outboard.midi-mappings/1","controllers":[{"name":"X","mappings":[{"id":"a"}]}]}', 'not json', '{"format":"outboard.midi-mappings/9","controllers":[]}']) {
      const result = await r.book.importText(bad);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.error.message).toMatch(/^Not a MIDI mapping file: /);
      expect(JSON.stringify(r.book.toFile())).toBe(file);
      expect([...r.settings]).toEqual(stored);
    }
  });
});

describe('MIDI on the audio host, into the engine', () => {
  afterEach(() => void vi.unstubAllGlobals());

  it("a CC is in the engine's ring when its MIDI event's dispatch returns: no await, timer or frame on the way", async () => {
    const r = rig();
    // The engine's main-thread feed, its shared ring and the worklet's render loop on engine.wasm; the one
    // stand-in is the worklet's message port (no AudioWorklet in Node), delivering each command at once.
    const wasm = fileURLToPath(new URL('../../../wasm/engine.wasm', import.meta.url));
    const host = await createDspHost((await readFile(wasm)).buffer as ArrayBuffer, 48_000);
    const ring = ParamRing.create(64, true);
    const block = MeterBlock.create(true);
    const runner = new EngineRunner(ring, block, 48_000, () => 0);
    runner.host = host;
    const rpc = { run: async (commands: readonly EngineCommand[]) => runner.run(commands) } as unknown as Remote<EngineRpc>;
    const feed = new EngineFeed(rpc, host.limits, new ParamWriter(ring, () => block.counter()));
    r.ctl.attachEngine({ applyChanges: (c) => feed.apply(c), loadDocument: (c) => feed.load(c) } as Pick<AudioEngineApi, 'applyChanges' | 'loadDocument'> as AudioEngineApi);
    await feed.settled();
    // The standard Web MIDI API, as the stub the browser specs use (Node has none).
    const input = Object.assign(new EventTarget(), { id: 'in_1', name: PAD });
    vi.stubGlobal('navigator', { requestMIDIAccess: async () => Object.assign(new EventTarget(), { inputs: new Map([[input.id, input]]) }) });
    const midi = new MidiControl();
    midi.connect({ ctl: r.ctl, book: r.book, transport: r.transport, input: new WebMidiInputs((name, data, at) => midi.handle(name, data, at)) });
    await midi.enable();
    await r.book.put(PAD, { id: 'm_cut', source: { kind: 'cc', channel: 0, cc: 74, mode: 'absolute' }, target: { kind: 'param', track_id: r.leadId, plugin_id: r.synthPlugin, parameter_id: 'cutoff' }, takeover: 'jump' });
    runner.render(undefined, new Float32Array(128), undefined);
    expect(ring.available()).toBe(0);
    input.dispatchEvent(Object.assign(new Event('midimessage'), { data: new Uint8Array([0xb0, 74, 100]) }));
    // Still inside the event's task: the value is in the ring for the next render quantum.
    expect(ring.available()).toBe(1);
    const cutoff = r.lead().chain[0]!.params.cutoff!;
    const applied: number[] = [];
    ring.drain({ onEvent: (_key, value) => void applied.push(value) });
    expect(applied).toHaveLength(1);
    expect(applied[0]).toBeCloseTo(cutoff, 3);
    midi.settle();
  });
});
