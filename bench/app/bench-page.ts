// Browser half of `outboard bench app`: runs inside Chromium on the audio
// fixture page and exposes `window.audioBench` to the Node half, which hands
// it the reference session document (the one `outboard bench dsp` renders).
import { loadEngineWasm } from '../../src/engine/engine-node.ts';
import { renderOffline, type SampleData } from '../../src/engine/offline-render.ts';
import { AudioEngine } from '../../src/engine/audio-engine.ts';
import { SessionController } from '../../src/app/session-controller.ts';
import { compileDocument, HlcClock } from '../../src/model/index.ts';
import type { LocalStore } from '../../src/store/index.ts';
import type { ObMixerView } from '../../src/ui/mixer/ob-mixer-view.ts';
import '../../src/ui/mixer/ob-mixer-view.ts';
import type { SessionDocument } from '../../src/protocol/session.ts';
import { buildNativeGraph } from './native-graph.ts';
import { referenceSources } from './reference-sources.ts';
import type { WorkerBenchResult } from './engine-worker.ts';

const RATE = 48_000;

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
   * Main-thread ms per local fader event, each list sorted: `total` = stamp +
   * apply + engine write + the mixer's re-render; `dispatch` = the
   * controller's synchronous part (all but the re-render); `engine` = the
   * engine's own part of it.
   */
  fader(doc: SessionDocument, events: number): Promise<{ total: number[]; dispatch: number[]; engine: number[] }>;
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
  async fader(doc, events) {
    const engine = await AudioEngine.create({ workletUrl: '/engine-processor.js', wasmUrl: '/engine.wasm' });
    // In-gesture values are neither saved nor queued, so the controller never touches the store.
    const ctl = new SessionController({} as LocalStore, new HlcClock('n_bench'));
    ctl.load(doc);
    ctl.attachEngine(engine);
    await engine.settled();
    const view = document.createElement('ob-mixer-view') as ObMixerView;
    view.doc = ctl.doc!;
    view.ctl = ctl;
    ctl.on('change', () => void (view.doc = ctl.doc!));
    document.body.append(view);
    await view.updateComplete;
    const track = doc.tracks[0]!.id;
    const total: number[] = [];
    const dispatch: number[] = [];
    const inEngine: number[] = [];
    const write = engine.applyChanges.bind(engine);
    engine.applyChanges = (changes) => {
      const t0 = performance.now();
      write(changes);
      inEngine.push(performance.now() - t0);
    };
    for (let i = 0; i < events; i++) {
      const t0 = performance.now();
      ctl.dispatch({ id: `op_f${i}`, type: 'UPDATE_TRACK', data: { track_id: track, changes: { gain_db: -(i % 48) / 4 } } }, { ephemeral: true });
      dispatch.push(performance.now() - t0);
      await view.updateComplete;
      total.push(performance.now() - t0);
      // One event per frame, as a dragged fader sends them.
      await new Promise((r) => requestAnimationFrame(r));
    }
    view.remove();
    await engine.close();
    const sorted = (xs: number[]) => xs.sort((a, b) => a - b);
    return { total: sorted(total), dispatch: sorted(dispatch), engine: sorted(inEngine) };
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
