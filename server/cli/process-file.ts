import { readFile } from 'node:fs/promises';
// The modules themselves, not wasm/host/index.ts: the barrel also loads the session graph, and with it zod (tens of ms at start-up).
import type { EngineCore } from '../../wasm/host/engine-core.ts';
import { decodeWav, encodeWavFrames, wavHeader, type WavBits, type WavFormat } from '../../wasm/host/wav.ts';
import { writeAtomically } from './atomic-write.ts';
import type { ChainStep } from './chain-spec.ts';

/** Blocks encoded per write: 64 x 128 frames, one reused buffer. */
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
 * Runs `channels` through the engine block by block and hands each chunk of
 * output (planar, `channelCount` channels) to `sink`. Mono in: both engine
 * channels carry it, and the output is their average.
 */
function runOffline(core: EngineCore, channels: readonly Float32Array[], sink: (out: Float32Array[], frames: number) => void): void {
  const frames = channels[0]?.length ?? 0;
  const left = channels[0] as Float32Array;
  const right = channels[1] ?? left;
  const mono = channels.length === 1;
  const chunkFrames = CHUNK_BLOCKS * core.blockSize;
  const out = Array.from({ length: channels.length }, () => new Float32Array(chunkFrames));
  const b = core.blockSize;
  for (let start = 0; start < frames; start += chunkFrames) {
    const n = Math.min(chunkFrames, frames - start);
    for (let off = 0; off < n; off += b) {
      const [inL, inR] = core.input;
      const m = Math.min(b, n - off);
      const at = start + off;
      inL.set(left.subarray(at, at + m));
      inR.set(right.subarray(at, at + m));
      if (m < b) { inL.fill(0, m); inR.fill(0, m); }
      core.process();
      const [oL, oR] = core.output;
      if (mono) {
        const o = out[0] as Float32Array;
        for (let i = 0; i < m; i++) o[off + i] = ((oL[i] as number) + (oR[i] as number)) * 0.5;
      } else {
        (out[0] as Float32Array).set(oL.subarray(0, m), off);
        (out[1] as Float32Array).set(oR.subarray(0, m), off);
      }
    }
    sink(out, n);
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
 * read or decoded is refused with the reason and nothing is written.
 */
export async function processFile(engineAt: EngineAt, job: ProcessFileJob): Promise<FileOutcome> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(job.input);
  } catch (error) {
    return { ok: false, reason: readFailure(job.input, error) };
  }
  const wav = decodeWav(bytes);
  if (!wav.ok) return { ok: false, reason: `${wav.error.code}: ${job.input}: ${wav.error.message}` };
  const { sampleRate, channels } = wav.value;
  const format: WavFormat = { sampleRate, channels: channels.length, bits: job.bits, float: job.bits === 32 && !job.int };
  const core = await engineAt(sampleRate);
  buildChain(core, job.chain);
  const frames = channels[0]?.length ?? 0;
  writeAtomically(job.output, (write) => {
    write(wavHeader(format, frames));
    let scratch: Uint8Array | undefined;
    runOffline(core, channels, (out, n) => {
      scratch = encodeWavFrames(format, out, 0, n, scratch);
      write(scratch);
    });
    if ((frames * format.channels * (job.bits / 8)) & 1) write(new Uint8Array(1));
  });
  return { ok: true, audioSeconds: frames / sampleRate };
}
