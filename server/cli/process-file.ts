import { readFileSync } from 'node:fs';
// The modules themselves, not wasm/host/index.ts: the barrel also loads the session graph, and with it zod (tens of ms at start-up).
import type { EngineCore } from '../../wasm/host/engine-core.ts';
import { frameBytes, nonFiniteSample, parseWav, wavHeader, type WavBits, type WavData, type WavFormat } from '../../wasm/host/wav.ts';
import { writeAtomically } from './atomic-write.ts';
import type { ChainStep } from './chain-spec.ts';

/** Blocks per chunk (decode, render, encode, write): 64 x 128 frames. */
const CHUNK_BLOCKS = 64;

/** How one file is processed: the same for `process IN OUT`, a batch worker and the library. */
export interface ProcessFileJob {
  readonly input: string;
  readonly output: string;
  readonly chain: readonly ChainStep[];
  /** 16, 24 or 32; 32 is float unless `int`. */
  readonly bits: WavBits;
  readonly int: boolean;
}

/** What became of one file: its audio length when written, the reason (naming the file) when not. */
export type FileOutcome = { readonly ok: true; readonly audioSeconds: number } | { readonly ok: false; readonly reason: string };

/** Hands out an engine at a sample rate; a batch worker reuses one per rate. */
export type EngineAt = (sampleRate: number) => Promise<EngineCore>;

/**
 * Puts the chain on track slot 0, fed by the engine's input, on an engine
 * that may have run another file: the slot is emptied and every DSP state
 * cleared first, so the output is the same as from a fresh engine.
 */
function buildChain(core: EngineCore, chain: readonly ChainStep[]): void {
  core.resetTrack(0);
  core.setTrackActive(0, true);
  core.setTrackSource(0, 'input');
  chain.forEach((step, i) => core.insertPlugin(0, i, step.type, step.params));
  core.reset();
}

/**
 * Runs the file through the engine a chunk at a time: a chunk of the file's
 * sample bytes is copied into the engine's staging area, decoded there,
 * rendered block by block and encoded there with three calls, and the
 * encoded bytes are handed to `sink` straight from the engine's memory (no
 * JS loop over samples, no decoded copy of the whole file, nothing allocated
 * per chunk). Mono in: both engine channels carry it, and the output is
 * their average. A float sample that is not a finite number stops it with a
 * {@link BrokenSample}.
 */
function runOffline(core: EngineCore, wav: WavData, format: WavFormat, sink: (bytes: Uint8Array) => void): void {
  const chunkFrames = CHUNK_BLOCKS * core.blockSize;
  const { pcm } = core.stage(chunkFrames);
  const input = { channels: wav.channels, bits: wav.bitsPerSample, float: wav.float };
  const inFrame = frameBytes(input), outFrame = frameBytes(format);
  const bytes = new Uint8Array(wav.view.buffer, wav.view.byteOffset + wav.at, wav.frames * inFrame);
  for (let start = 0; start < wav.frames; start += chunkFrames) {
    const n = Math.min(chunkFrames, wav.frames - start);
    pcm.set(bytes.subarray(start * inFrame, (start + n) * inFrame));
    const broken = core.decodeStaged(n, input);
    if (broken >= 0) throw new BrokenSample(start + broken);
    core.processStaged(n);
    core.encodeStaged(n, format);
    sink(pcm.subarray(0, n * outFrame));
  }
}

/** Abandons a file's atomic write at its first sample that is not a finite number (see wav.ts' nonFiniteSample). */
class BrokenSample extends Error {
  constructor(readonly frame: number) {
    super(`frame ${frame} is not a finite number`);
  }
}

/** The reason a file could not be read, as a user reads it. */
export function readFailure(path: string, error: unknown): string {
  const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
  return `cannot read ${path}: ${reason}`;
}

/**
 * Reads, decodes and runs one WAV file through the chain, writing the output
 * atomically at the input's rate and channel count. A file that cannot be
 * read or decoded, or holds NaN or infinite samples, is refused with the
 * reason and nothing is written.
 */
export async function processFile(engineAt: EngineAt, job: ProcessFileJob): Promise<FileOutcome> {
  let bytes: Uint8Array;
  try {
    // One read call: the promise API reads in 512 KiB turns through the thread pool (~8 ms more per 23 MB).
    bytes = readFileSync(job.input);
  } catch (error) {
    return { ok: false, reason: readFailure(job.input, error) };
  }
  const wav = parseWav(bytes);
  if (!wav.ok) return { ok: false, reason: `${wav.error.code}: ${job.input}: ${wav.error.message}` };
  const { sampleRate, channels, frames } = wav.value;
  const format: WavFormat = { sampleRate, channels, bits: job.bits, float: job.bits === 32 && !job.int };
  const core = await engineAt(sampleRate);
  buildChain(core, job.chain);
  try {
    writeAtomically(job.output, (write) => {
      write(wavHeader(format, frames));
      runOffline(core, wav.value, format, write);
      if ((frames * format.channels * (job.bits / 8)) & 1) write(new Uint8Array(1));
    });
  } catch (error) {
    if (!(error instanceof BrokenSample)) throw error;
    const refusal = nonFiniteSample(error.frame, sampleRate);
    return { ok: false, reason: `${refusal.code}: ${job.input}: ${refusal.message}` };
  }
  return { ok: true, audioSeconds: frames / sampleRate };
}
