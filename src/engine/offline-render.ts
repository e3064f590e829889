import { releaseProxy } from 'comlink';
import { compileDocument } from '../model/changes.ts';
import type { SessionDocument } from '../protocol/session.ts';
import type { Hertz, Seconds } from '../protocol/units.ts';
import { createEngineNode, type EngineWasm, type WasmTransport } from './engine-node.ts';
import { EngineFeed } from './engine-feed.ts';

/** Decoded audio for a file source, as handed to `setSample`. */
export interface SampleData {
  readonly channels: Float32Array[];
  readonly sampleRate: Hertz;
}

/** What an offline render needs. */
export interface OfflineRenderJob {
  readonly workletUrl: string;
  readonly wasm: EngineWasm;
  readonly doc: SessionDocument;
  readonly seconds: Seconds;
  readonly sampleRate: Hertz;
  readonly samples: ReadonlyMap<string, SampleData>;
  readonly transport?: WasmTransport;
  /** Called with 0..1 as rendering proceeds. */
  readonly onProgress?: (fraction: number) => void;
  /** Seconds of audio between progress reports (default: twenty reports, at most one per quarter second). */
  readonly progressEvery?: Seconds;
  /** Called right before rendering starts, once everything is set up (for timing). */
  readonly onStart?: () => void;
}

/**
 * Renders a session offline: an OfflineAudioContext running the same
 * worklet and engine.wasm as live playback, with the document compiled into
 * the same graph commands `outboard render` runs (no ring: values ride the
 * commands) and the transport started before the first quantum, exactly as
 * `outboard render` does in Node. Returns the rendered AudioBuffer.
 */
export async function renderOffline(job: OfflineRenderJob): Promise<AudioBuffer> {
  const frames = Math.max(1, Math.round(job.seconds * job.sampleRate));
  const ctx = new OfflineAudioContext({ numberOfChannels: 2, length: frames, sampleRate: job.sampleRate });
  const engine = await createEngineNode(ctx, job.workletUrl, job.wasm, undefined, job.transport);
  try {
    const limits = engine.status.limits;
    if (!limits) throw new Error('engine processor: ready without its limits');
    const feed = new EngineFeed(engine.rpc, limits, undefined);
    feed.load(compileDocument(job.doc));
    await feed.settled();
    for (const [id, s] of job.samples) await engine.rpc.setSample(id, s.channels, s.sampleRate);
    await engine.rpc.setPlaying(true);
    engine.node.connect(ctx.destination);
    scheduleProgress(ctx, job, frames);
    job.onStart?.();
    const rendered = await ctx.startRendering();
    job.onProgress?.(1);
    return rendered;
  } finally {
    engine.node.disconnect();
    engine.rpc[releaseProxy]();
    engine.node.port.close();
  }
}

/** Suspends the offline render at intervals to report progress, then resumes it. */
function scheduleProgress(ctx: OfflineAudioContext, job: OfflineRenderJob, frames: number): void {
  const onProgress = job.onProgress;
  if (!onProgress) return;
  const total = frames / job.sampleRate;
  const every = job.progressEvery ?? Math.max(0.25, total / 20);
  for (let t = every; t < total; t += every) {
    // suspend() times are rounded to quanta; each must be distinct and inside the render.
    ctx.suspend(t).then(() => {
      onProgress(t / total);
      return ctx.resume();
    }).catch(() => undefined);
  }
}
