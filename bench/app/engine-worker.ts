// Times the engine quantum by quantum in a dedicated Worker, where
// performance.now() exists (the AudioWorklet scope has only Date.now()).
// Same engine.wasm, same adapter as the worklet, same document.
import { createDspHost } from '../../worklets/wasm-dsp-host.ts';
import type { SessionDocument } from '../../src/protocol/session.ts';
import { compileDocument } from '../../src/model/index.ts';
import { EngineGraph, type GraphCommand } from '../../wasm/host/index.ts';
import { hostSink, type DspHost } from '../../worklets/dsp-host.ts';
import type { SampleData } from '../../src/engine/offline-render.ts';

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
    // Commands run at once, except those `timeStructural` holds back to time them alone.
    const held: GraphCommand[] = [];
    const direct = hostSink(host);
    const hold = { on: false };
    const graph = new EngineGraph(host.limits, { ...direct, command: (c) => (hold.on ? void held.push(c) : direct.command(c)) });
    graph.load(compileDocument(doc));
    for (const [id, s] of samples) host.setSample(id, s.channels, s.sampleRate);
    if (structural) {
      scope.postMessage(timeStructural(host, graph, { hold, held }, doc.tracks[0]!.id, quanta));
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

/**
 * Ms per "add a plugin" as the worklet runs it: the commands the main
 * thread's EngineGraph builds for it (untimed) executed on the engine
 * adapter. Each plugin is removed again, untimed. Sorted.
 */
function timeStructural(
  host: DspHost, graph: EngineGraph, gate: { hold: { on: boolean }; held: GraphCommand[] }, track: string, count: number,
): number[] {
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const plugin = { id: `plg_b${i}`, type: 'filter', bypass: false, params: { mode: 0, cutoff: 5000, q: 0.707 } };
    gate.hold.on = true;
    graph.apply([{ kind: 'plugin-added', track, plugin, index: 99 }]);
    gate.hold.on = false;
    const t0 = performance.now();
    for (const c of gate.held) host.execute(c);
    times.push(performance.now() - t0);
    gate.held.length = 0;
    graph.apply([{ kind: 'plugin-removed', track, plugin: plugin.id }]);
    host.process();
  }
  return times.sort((a, b) => a - b);
}
