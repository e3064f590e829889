// Times the engine quantum by quantum in a dedicated Worker, where
// performance.now() exists (the AudioWorklet scope has only Date.now()).
// Same engine.wasm, same adapter as the worklet, same document.
import { createDspHost } from '../../../worklets/wasm-dsp-host.ts';
import type { SessionDocument } from '../../../src/protocol/session.ts';
import type { SampleData } from '../../../src/engine/offline-render.ts';

/** The request the bench page posts. */
export interface WorkerBenchRequest {
  readonly module: WebAssembly.Module;
  readonly doc: SessionDocument;
  readonly samples: [string, SampleData][];
  readonly quanta: number;
  readonly sampleRate: number;
  /** Time structural changes (add a plugin, `quanta` times) instead of quanta. */
  readonly structural?: boolean;
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
    const { module, doc, samples, quanta, sampleRate, structural } = event.data;
    const host = await createDspHost(module, sampleRate);
    host.applyDocument(doc);
    for (const [id, s] of samples) host.setSample(id, s.channels, s.sampleRate);
    if (structural) {
      scope.postMessage(timeStructural(host, doc, quanta));
      return;
    }
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

/** Ms per "add a plugin" applied by the engine adapter (each one removed again, untimed), sorted. */
function timeStructural(host: Awaited<ReturnType<typeof createDspHost>>, doc: SessionDocument, count: number): number[] {
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const next = structuredClone(doc);
    next.tracks[0]!.chain.push({ id: `plg_b${i}`, type: 'filter', bypass: false, params: { mode: 0, cutoff: 5000, q: 0.707 } });
    const t0 = performance.now();
    host.applyDocument(next);
    times.push(performance.now() - t0);
    host.applyDocument(doc);
    host.process();
  }
  return times.sort((a, b) => a - b);
}
