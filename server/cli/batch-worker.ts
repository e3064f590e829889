/**
 * A batch worker thread (server/cli/pool.ts runs them): holds one engine per
 * sample rate and reuses it for every job it is given, a file to process or
 * a sweep variant to render. Answers each job with a {@link FileOutcome}.
 */
import { parentPort } from 'node:worker_threads';
import { readFile } from 'node:fs/promises';
import type { SessionDocument } from '../../src/protocol/session.ts';
import { decodeWav, type DecodedWav, type EngineCore, type WavBits } from '../../wasm/host/index.ts';
import { loadEngine } from './engine-file.ts';
import { processFile, readFailure, type FileOutcome, type ProcessFileJob } from './process-file.ts';
import type { JobMessage, ResultMessage } from './pool.ts';
import { SessionRenderer } from './render-file.ts';
import { applyValues, type ParamValue } from './sweep.ts';

/** One sweep variant: the session with the variant's values set, rendered from the start. */
export interface RenderVariantJob {
  readonly kind: 'render';
  readonly output: string;
  /** The sweep's session, the same object in every job (posted to the worker with each). */
  readonly document: SessionDocument;
  readonly values: readonly ParamValue[];
  readonly rate: number;
  readonly frames: number;
  readonly bits: WavBits;
  readonly int: boolean;
  /** Sample id -> WAV file, for the document's file sources. */
  readonly samples: Readonly<Record<string, string>>;
}

/** A job a batch worker takes. */
export type BatchJob = ({ readonly kind: 'process' } & ProcessFileJob) | RenderVariantJob;

const engines = new Map<number, EngineCore>();
const engineAt = async (rate: number): Promise<EngineCore> => {
  let core = engines.get(rate);
  if (!core) engines.set(rate, (core = await loadEngine(rate)));
  return core;
};

// Its own engine: the renderer keeps the graph of the session it loaded last.
let renderer: { rate: number; renderer: SessionRenderer } | null = null;
const decoded = new Map<string, DecodedWav>();

async function renderVariant(job: RenderVariantJob): Promise<FileOutcome> {
  const samples = new Map<string, DecodedWav>();
  for (const [id, path] of Object.entries(job.samples)) {
    let wav = decoded.get(path);
    if (!wav) {
      let bytes: Uint8Array;
      try {
        bytes = await readFile(path);
      } catch (error) {
        return { ok: false, reason: `sample ${id}: ${readFailure(path, error)}` };
      }
      const result = decodeWav(bytes);
      if (!result.ok) return { ok: false, reason: `sample ${id} (${path}): ${result.error.message}` };
      decoded.set(path, (wav = result.value));
    }
    samples.set(id, wav);
  }
  if (renderer?.rate !== job.rate) renderer = { rate: job.rate, renderer: new SessionRenderer(await loadEngine(job.rate)) };
  renderer.renderer.load(applyValues(job.document, job.values), samples);
  renderer.renderer.render(job.output, job.frames, { sampleRate: job.rate, channels: 2, bits: job.bits, float: job.bits === 32 && !job.int });
  return { ok: true, audioSeconds: job.frames / job.rate };
}

async function run(job: BatchJob): Promise<FileOutcome> {
  try {
    return job.kind === 'process' ? await processFile(engineAt, job) : await renderVariant(job);
  } catch (error) {
    // A disk that filled up, a folder that went away: this file fails, the batch goes on.
    return { ok: false, reason: `${job.output}: ${(error as Error).message}` };
  }
}

parentPort?.on('message', (message: JobMessage<BatchJob>) => {
  void run(message.job).then((result) => parentPort?.postMessage({ id: message.id, result } satisfies ResultMessage<FileOutcome>));
});
