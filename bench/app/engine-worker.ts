// Times the engine quantum by quantum in a dedicated Worker, where
// performance.now() exists (the AudioWorklet scope has only Date.now()).
// Same engine.wasm, same adapter as the worklet, same document.
import { createDspHost } from '../../worklets/wasm-dsp-host.ts';
import type { SessionDocument } from '../../src/protocol/session.ts';
import type { SampleData } from '../../src/engine/offline-render.ts';

/** The request the bench page posts. */
export interface WorkerBenchRequest {
  readonly module: WebAssembly.Module;
  readonly doc: SessionDocument;
  readonly samples: [string, SampleData][];
  readonly quanta: number;
  readonly sampleRate: number;
}

/** Per-quantum times in milliseconds. */
export interface WorkerBenchResult {
  readonly mean: number;
  readonly p50: number;
  readonly p99: number;
  readonly worst: number;
}

const scope = globalThis as unknown as { onmessage: ((e: MessageEvent<WorkerBenchRequest>) => void) | null; postMessage(v: unknown): void };

scope.onmessage = (event) => {
  void (async () => {
    const { module, doc, samples, quanta, sampleRate } = event.data;
    const host = await createDspHost(module, sampleRate);
    host.applyDocument(doc);
    for (const [id, s] of samples) host.setSample(id, s.channels, s.sampleRate);
    host.setPlaying(true);
    for (let i = 0; i < 375; i++) host.process(); // warm up: one second
    const times = new Float64Array(quanta);
    for (let i = 0; i < quanta; i++) {
      const t0 = performance.now();
      host.process();
      times[i] = performance.now() - t0;
    }
    const sorted = times.slice().sort();
    const mean = times.reduce((a, b) => a + b, 0) / quanta;
    scope.postMessage({ mean, p50: sorted[Math.floor(quanta / 2)]!, p99: sorted[Math.floor(quanta * 0.99)]!, worst: sorted[quanta - 1]! } satisfies WorkerBenchResult);
  })();
};
