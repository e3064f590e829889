// Browser half of `outboard bench midi`: the app's MIDI path on an audio
// host, from a MIDI event's timestamp to the worklet applying the value.
// Runs on the audio fixture page (cross-origin isolated: the shared ring)
// with the Web MIDI stub installed; everything after the stub is the app's
// own code: WebMidiInputs -> MidiControl -> SessionController.dispatch ->
// model apply -> engine projection -> param ring -> worklet.
import { AudioEngine } from '../../src/engine/audio-engine.ts';
import { createSession, HlcClock } from '../../src/model/index.ts';
import { LocalStore } from '../../src/store/index.ts';
import { SessionController } from '../../src/app/session-controller.ts';
import { addTrackOps, batch } from '../../src/app/op-builders.ts';
import { MappingBook } from '../../src/app/midi/mapping-book.ts';
import { MidiControl } from '../../src/app/midi/midi-control.ts';
import { WebMidiInputs } from '../../src/app/midi/web-midi.ts';

/** Milliseconds per sample, each from the MIDI event's `timeStamp` (the `performance.now()` clock). */
export interface MidiLatencySamples {
  /** Event timestamp -> the app's MIDI handler starts (the event waiting in the page's task queue). */
  readonly queued: number[];
  /** The handler: decode, mapping, op, stamp + apply, engine projection, ring write. */
  readonly handler: number[];
  /** Ring write -> the worklet has applied the record (its status block says so). */
  readonly worklet: number[];
  /** Event timestamp -> applied. */
  readonly total: number[];
  /** The worklet's own count: quanta between the write (stamped with the quantum counter the page last saw) and the quantum that applied it. */
  readonly quanta: number[];
  readonly sampleRate: number;
  /** The context's base and output latency, ms, as the browser reports them. */
  readonly baseLatency: number;
  readonly outputLatency: number;
  /** How the audio device drives the worklet: quanta rendered per wake-up and ms between wake-ups (medians). */
  readonly wake: { readonly quanta: number; readonly ms: number };
}

const CC = 74;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const middle = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

/**
 * Watches the worklet's quantum counter for `ms`: how many quanta each audio
 * callback renders, and how often callbacks come. Quanta published less than
 * 1 ms apart belong to one callback (the worklet renders them back to back).
 */
function wakeUps(engine: AudioEngine, ms: number): { quanta: number; ms: number } {
  const sizes: number[] = [];
  const gaps: number[] = [];
  let last = engine.stats().quanta;
  let seen = performance.now();
  let wake = seen;
  let size = 0;
  const end = seen + ms;
  for (let now = seen; now < end; now = performance.now()) {
    const q = engine.stats().quanta;
    if (q === last) continue;
    if (now - seen >= 1) {
      if (size > 0) sizes.push(size);
      gaps.push(now - wake);
      wake = now;
      size = 0;
    }
    size += q - last;
    last = q;
    seen = now;
  }
  return { quanta: middle(sizes), ms: middle(gaps.slice(1)) };
}

async function midiLatency(samples: number): Promise<MidiLatencySamples> {
  const engine = await AudioEngine.create({ workletUrl: '/engine-processor.js', wasmUrl: '/engine.wasm' });
  const store = await LocalStore.open({ name: `outboard-midi-bench-${Date.now()}` });
  const ctl = new SessionController(store, new HlcClock('n_bench'));
  ctl.load(createSession({ id: 'ses_midi_bench', name: 'MIDI bench' }));
  const { trackId, ops } = addTrackOps('synth', 'Synth');
  ctl.dispatch(batch(ops));
  ctl.attachEngine(engine);
  await engine.resume();
  await engine.settled();
  await engine.play();
  const plugin = ctl.doc!.tracks[0]!.chain[0]!.id;
  const book = new MappingBook(store);
  const midi = new MidiControl();
  let started = 0;
  const input = new WebMidiInputs((name, data, timeStamp) => {
    started = performance.now();
    midi.handle(name, data, timeStamp);
  });
  midi.connect({ ctl, book, transport: { playing: true, play() {}, stop() {} }, input });
  await midi.enable();
  const controller = input.inputs[0]!;
  await book.put(controller, {
    id: 'm_bench', source: { kind: 'cc', channel: 0, cc: CC, mode: 'absolute' },
    target: { kind: 'param', track_id: trackId, plugin_id: plugin, parameter_id: 'cutoff' }, takeover: 'jump',
  });
  const access = await navigator.requestMIDIAccess();
  const stubInput = [...access.inputs.values()][0]!;
  const info = engine.info();
  const out: MidiLatencySamples = {
    queued: [], handler: [], worklet: [], total: [], quanta: [], sampleRate: info.sampleRate,
    baseLatency: info.baseLatency * 1000, outputLatency: info.outputLatency * 1000, wake: wakeUps(engine, 300),
  };
  const channel = new MessageChannel();
  for (let i = 0; i < samples; i++) {
    // A knob turning: every message a new value, 4-12 ms apart.
    const event = new MIDIMessageEvent('midimessage', { data: new Uint8Array([0xb0, CC, 20 + (i % 80)]) });
    const sample = await new Promise<{ queued: number; handler: number; worklet: number; total: number; quanta: number } | null>((resolve) => {
      channel.port1.onmessage = () => {
        const before = engine.stats().applied;
        stubInput.dispatchEvent(event);
        const written = performance.now();
        // The worklet counts applied ring records in its status block at the end of the quantum that drained them.
        while (engine.stats().applied === before) if (performance.now() - written > 1000) return resolve(null);
        const applied = performance.now();
        const quanta = engine.stats().paramLatency.last;
        resolve({ queued: started - event.timeStamp, handler: written - started, worklet: applied - written, total: applied - event.timeStamp, quanta });
      };
      // Delivered as a task, as the browser delivers a controller's message.
      channel.port2.postMessage(null);
    });
    if (sample) for (const k of ['queued', 'handler', 'worklet', 'total', 'quanta'] as const) out[k].push(sample[k]);
    await sleep(4 + (i % 9));
  }
  midi.settle();
  await ctl.flush();
  store.close();
  await engine.close();
  return out;
}

declare global {
  interface Window {
    midiBench: { midiLatency(samples: number): Promise<MidiLatencySamples> };
  }
}

window.midiBench = { midiLatency };
