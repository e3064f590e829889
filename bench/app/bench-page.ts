// Browser half of `outboard bench app`: runs inside Chromium on the audio
// fixture page and exposes `window.audioBench` to the Node half, which hands
// it the reference session document (the one `outboard bench dsp` renders).
import { loadEngineWasm } from '../../src/engine/engine-node.ts';
import { renderOffline, type SampleData } from '../../src/engine/offline-render.ts';
import { AudioEngine } from '../../src/engine/audio-engine.ts';
import { SessionController } from '../../src/app/session-controller.ts';
import { compileDocument, HlcClock } from '../../src/model/index.ts';
import { LocalStore } from '../../src/store/index.ts';
import { AudioSession } from '../../src/app/audio-session.ts';
import { PresetLibrary } from '../../src/app/preset-library.ts';
import { SyncLink } from '../../src/app/sync-link.ts';
import { PwaState } from '../../src/ui/pwa/pwa-state.ts';
import type { WebSocketCtor } from '../../src/sync/index.ts';
import { LitElement } from 'lit';
import '../../src/ui/shell/ob-app.ts';
import type { SessionDocument } from '../../src/protocol/session.ts';
import { buildNativeGraph } from './native-graph.ts';
import { referenceSources } from './reference-sources.ts';
import type { WorkerBenchResult } from './engine-worker.ts';

const RATE = 48_000;

/** Main-thread ms per local fader event, by stage, each list sorted ascending. */
export interface FaderStages {
  /** Stamp + apply + engine write + listeners + the re-render of the shell and its views. */
  total: number[];
  /** The controller's synchronous part: all but the re-render. */
  dispatch: number[];
  /** Stamp + apply + the op's engine changes (`changesOf`): the controller before its listeners, minus the engine write. */
  model: number[];
  /** The engine write (ring). */
  engine: number[];
  /** The `change` listeners (AudioSession's, the view's). */
  listeners: number[];
  /** The re-render: every Lit update the event causes in the mounted shell, to each `updateComplete`. */
  render: number[];
  /** Lit updates per measured event, by element tag (totals over the run). */
  updates: Record<string, number>;
}

/** What the Node half calls. */
export interface AudioBench {
  /** Milliseconds to render `seconds` of the native-node graph offline. */
  native(doc: SessionDocument, seconds: number, withReverbs: boolean): Promise<number>;
  /** Milliseconds to render `seconds` of the session through the worklet offline. */
  worklet(doc: SessionDocument, seconds: number): Promise<number>;
  /** Per-quantum engine time in a Worker. */
  worker(doc: SessionDocument, quanta: number): Promise<WorkerBenchResult>;
  /** Ms per structural change (add a plugin) executed by the engine adapter in a Worker, sorted. */
  structural(doc: SessionDocument, count: number): Promise<number[]>;
  /**
   * Main-thread ms per local fader event after `warmup` unmeasured ones,
   * each list sorted (see {@link FaderStages}).
   */
  fader(doc: SessionDocument, run: { warmup: number; events: number }): Promise<FaderStages>;
  /** The worklet's own load meter after `seconds` of realtime playback. */
  realtime(doc: SessionDocument, seconds: number): Promise<{ load: number; loadPeak: number; overruns: number; quanta: number }>;
}

/** The file sources of `doc`'s tracks, by sample id, in track order. */
function samples(doc: SessionDocument): Map<string, SampleData> {
  const files = doc.tracks.flatMap((t) => (t.source.kind === 'file' ? [t.source.sample_id] : []));
  const sources = referenceSources(files.length, RATE);
  return new Map(files.map((id, i) => [id, { channels: sources[i]!, sampleRate: RATE }]));
}

const bench: AudioBench = {
  async native(doc, seconds, withReverbs) {
    const ctx = new OfflineAudioContext({ numberOfChannels: 2, length: seconds * RATE, sampleRate: RATE });
    buildNativeGraph(ctx, doc, [...samples(doc).values()].map((s) => s.channels as [Float32Array, Float32Array]), withReverbs);
    const t0 = performance.now();
    await ctx.startRendering();
    return performance.now() - t0;
  },
  async worklet(doc, seconds) {
    const wasm = await loadEngineWasm('/engine.wasm');
    let t0 = 0;
    await renderOffline({
      workletUrl: '/engine-processor.js', wasm, doc, seconds, sampleRate: RATE,
      samples: samples(doc), onStart: () => (t0 = performance.now()),
    });
    return performance.now() - t0;
  },
  async structural(doc, count) {
    const { module } = await loadEngineWasm('/engine.wasm');
    const worker = new Worker('/engine-worker.js', { type: 'module' });
    try {
      return await new Promise<number[]>((resolve, reject) => {
        worker.onmessage = (e: MessageEvent<number[]>) => resolve(e.data);
        worker.onerror = (e) => reject(new Error(e.message));
        worker.postMessage({ module, doc, samples: [...samples(doc)], quanta: count, sampleRate: RATE, structural: true });
      });
    } finally {
      worker.terminate();
    }
  },
  async worker(doc, quanta) {
    const { module } = await loadEngineWasm('/engine.wasm');
    const worker = new Worker('/engine-worker.js', { type: 'module' });
    try {
      return await new Promise<WorkerBenchResult>((resolve, reject) => {
        worker.onmessage = (e: MessageEvent<WorkerBenchResult>) => resolve(e.data);
        worker.onerror = (e) => reject(new Error(e.message));
        worker.postMessage({ module, doc, samples: [...samples(doc)], quanta, sampleRate: RATE });
      });
    } finally {
      worker.terminate();
    }
  },
  async fader(doc, { warmup, events }) {
    const engine = await AudioEngine.create({ workletUrl: '/engine-processor.js', wasmUrl: '/engine.wasm' });
    // The app as main.ts builds it: a real store, the shell with its parts, the relay link inert (no token).
    const store = await LocalStore.open();
    const ctl = new SessionController(store, new HlcClock('n_bench'));
    const audio = new AudioSession(ctl);
    const presets = new PresetLibrary(store, ctl);
    const sync = new SyncLink(store, ctl, { base: location.origin, WebSocket: WebSocket as unknown as WebSocketCtor });
    // Not started: registering the service worker is not the fader's business (and needs Vite's virtual module).
    const pwa = new PwaState();
    await store.putSession(doc);
    await store.setSetting('last_session', doc.id);
    history.replaceState(null, '', '#/mixer');
    const app = document.createElement('ob-app');
    app.parts = { store, ctl, presets, audio, pwa, sync };
    document.body.append(app);
    // Opens the last session on the mixer, as a reload of the app does.
    await app.start();
    ctl.attachEngine(engine);
    await engine.settled();
    let changed = 0;
    ctl.on('change', () => void (changed = performance.now()));
    await app.updateComplete;
    const shell = app.renderRoot;
    const view = shell.querySelector('ob-mixer-view')!;
    await view.updateComplete;
    const track = ctl.doc!.tracks[0]!.id;
    const strip = view.renderRoot.querySelector<LitElement>(`ob-track-strip[data-track="${track}"]`)!;
    const fader = strip.renderRoot.querySelector<LitElement>('.fader-meter ob-slider')!;
    // Everything an event may update, parents first: awaiting each in turn waits out the updates they start in their children.
    const mounted = [app, ...shell.querySelectorAll<LitElement>('ob-transport, ob-sync-status, ob-pwa-prompts'), view, strip, fader];
    const stages: FaderStages = { total: [], dispatch: [], model: [], engine: [], listeners: [], render: [], updates: {} };
    // Count every Lit update on the page while measuring (one counter bump: not a cost worth subtracting).
    const litUpdate = LitElement.prototype['update'];
    let counting = false;
    LitElement.prototype['update'] = function (this: LitElement, changes) {
      if (counting) stages.updates[this.localName] = (stages.updates[this.localName] ?? 0) + 1;
      litUpdate.call(this, changes);
    };
    const write = engine.applyChanges.bind(engine);
    let inEngine = 0;
    engine.applyChanges = (changes) => {
      const t0 = performance.now();
      write(changes);
      inEngine = performance.now() - t0;
    };
    for (let i = 0; i < warmup + events; i++) {
      counting = i >= warmup;
      const t0 = performance.now();
      ctl.dispatch({ id: `op_f${i}`, type: 'UPDATE_TRACK', data: { track_id: track, changes: { gain_db: -(i % 48) / 4 } } }, { ephemeral: true });
      const t1 = performance.now();
      for (const el of mounted) await el.updateComplete;
      const t2 = performance.now();
      if (i >= warmup) {
        stages.total.push(t2 - t0);
        stages.dispatch.push(t1 - t0);
        stages.model.push(changed - t0 - inEngine);
        stages.engine.push(inEngine);
        stages.listeners.push(t1 - changed);
        stages.render.push(t2 - t1);
      }
      // One event per frame, as a dragged fader sends them.
      await new Promise((r) => requestAnimationFrame(r));
    }
    LitElement.prototype['update'] = litUpdate;
    app.remove();
    await engine.close();
    store.close();
    for (const xs of [stages.total, stages.dispatch, stages.model, stages.engine, stages.listeners, stages.render]) xs.sort((a, b) => a - b);
    return stages;
  },
  async realtime(doc, seconds) {
    const engine = await AudioEngine.create({ workletUrl: '/engine-processor.js', wasmUrl: '/engine.wasm' });
    engine.loadDocument(compileDocument(doc));
    for (const [id, s] of samples(doc)) await engine.setSample(id, s.channels, s.sampleRate);
    await engine.settled();
    await engine.play();
    await new Promise((r) => setTimeout(r, seconds * 1000));
    const s = engine.stats();
    await engine.close();
    return { load: s.load, loadPeak: s.loadPeak, overruns: s.overruns, quanta: s.quanta };
  },
};

declare global {
  interface Window {
    audioBench: AudioBench;
  }
}
window.audioBench = bench;
