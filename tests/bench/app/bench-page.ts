// Browser half of `outboard bench app`: runs inside Chromium on the audio
// fixture page and exposes `window.audioBench` to the Node half.
import { loadEngineWasm } from '../../../src/engine/engine-node.ts';
import { renderOffline } from '../../../src/engine/offline-render.ts';
import { AudioEngine } from '../../../src/engine/audio-engine.ts';
import { buildNativeGraph } from './native-graph.ts';
import { referenceSession } from './reference-session.ts';
import type { WorkerBenchResult } from './engine-worker.ts';

const RATE = 48_000;

/** What the Node half calls. */
export interface AudioBench {
  /** Milliseconds to render `seconds` of the native-node graph offline. */
  native(seconds: number, withReverbs: boolean): Promise<number>;
  /** Milliseconds to render `seconds` of the reference session through the worklet offline. */
  worklet(seconds: number): Promise<number>;
  /** Per-quantum engine time in a Worker. */
  worker(quanta: number): Promise<WorkerBenchResult>;
  /** The worklet's own load meter after `seconds` of realtime playback. */
  realtime(seconds: number): Promise<{ load: number; loadPeak: number; overruns: number; quanta: number }>;
}

const bench: AudioBench = {
  async native(seconds, withReverbs) {
    const ctx = new OfflineAudioContext({ numberOfChannels: 2, length: seconds * RATE, sampleRate: RATE });
    buildNativeGraph(ctx, withReverbs);
    const t0 = performance.now();
    await ctx.startRendering();
    return performance.now() - t0;
  },
  async worklet(seconds) {
    const wasm = await loadEngineWasm('/engine.wasm');
    let t0 = 0;
    await renderOffline({
      workletUrl: '/engine-processor.js', wasm, doc: referenceSession(), seconds, sampleRate: RATE,
      samples: new Map(), onStart: () => (t0 = performance.now()),
    });
    return performance.now() - t0;
  },
  async worker(quanta) {
    const { module } = await loadEngineWasm('/engine.wasm');
    const worker = new Worker('/engine-worker.js', { type: 'module' });
    try {
      return await new Promise<WorkerBenchResult>((resolve, reject) => {
        worker.onmessage = (e: MessageEvent<WorkerBenchResult>) => resolve(e.data);
        worker.onerror = (e) => reject(new Error(e.message));
        worker.postMessage({ module, doc: referenceSession(), quanta, sampleRate: RATE });
      });
    } finally {
      worker.terminate();
    }
  },
  async realtime(seconds) {
    const engine = await AudioEngine.create({ workletUrl: '/engine-processor.js', wasmUrl: '/engine.wasm' });
    engine.setDocument(referenceSession());
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
