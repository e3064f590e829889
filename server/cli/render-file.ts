import { readFile } from 'node:fs/promises';
import { compileDocument, parseSessionDocument } from '../../src/model/index.ts';
import { fail, ok, outboardError, type Result } from '../../src/protocol/errors.ts';
import type { SessionDocument } from '../../src/protocol/session.ts';
import { decodeWav, directProjection, encodeWavFrames, wavHeader, type DecodedWav, type EngineCore, type WavFormat } from '../../wasm/host/index.ts';
import { writeAtomically } from './atomic-write.ts';
import { readFailure } from './process-file.ts';

const CHUNK_BLOCKS = 64;
const BARS_BY_DEFAULT = 8;

/** A render's length when none is asked for: 8 bars at the session tempo. */
export const defaultSeconds = (doc: SessionDocument): number => (BARS_BY_DEFAULT * 4 * 60) / doc.tempo_bpm;

/** Reads and validates a session file; the error names the file and the field that was wrong. */
export async function readSession(path: string): Promise<Result<SessionDocument>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    return fail(outboardError('SESSION_NOT_FOUND', readFailure(path, error)));
  }
  const parsed = parseSessionDocument(text);
  if (parsed.ok) return parsed;
  const where = parsed.error.field ? ` (at ${parsed.error.field})` : '';
  return fail({ ...parsed.error, message: `${path}: ${parsed.error.message}${where}` });
}

/**
 * Decodes the sample files (id -> WAV path) the document's file sources use;
 * unused ones are ignored, and `silent` names the used ids no file was given for.
 */
export async function loadSamples(doc: SessionDocument, files: ReadonlyMap<string, string>): Promise<Result<{ samples: Map<string, DecodedWav>; silent: string[] }>> {
  const used = new Set(doc.tracks.flatMap((t) => (t.source.kind === 'file' ? [t.source.sample_id] : [])));
  const samples = new Map<string, DecodedWav>();
  for (const [id, path] of files) {
    if (!used.has(id)) continue;
    let bytes: Uint8Array;
    try {
      bytes = await readFile(path);
    } catch (error) {
      return fail(outboardError('INVALID_MESSAGE', `sample ${id}: ${readFailure(path, error)}`, 'sample'));
    }
    const wav = decodeWav(bytes);
    if (!wav.ok) return fail({ ...wav.error, message: `sample ${id} (${path}): ${wav.error.message}` });
    samples.set(id, wav.value);
  }
  return ok({ samples, silent: [...used].filter((id) => !samples.has(id)) });
}

/**
 * A session loaded into an engine: the browser's projection run directly
 * (the same EngineGraph and CommandExecutor as Export WAV). Loading another
 * document of the same shape (a sweep's next variant) changes only the
 * params that differ.
 */
export class SessionRenderer {
  private readonly projection: ReturnType<typeof directProjection>;

  constructor(readonly core: EngineCore) {
    this.projection = directProjection(core);
  }

  /** Brings the engine to `doc` with `samples` fed to its file sources. */
  load(doc: SessionDocument, samples: ReadonlyMap<string, DecodedWav>): void {
    this.projection.graph.load(compileDocument(doc));
    for (const [id, wav] of samples) this.projection.executor.setSample(id, wav.channels, wav.sampleRate);
  }

  /**
   * Renders `frames` from the start (every DSP state cleared first, so a
   * reused engine gives the bytes a fresh one does) to `output`, atomically.
   */
  render(output: string, frames: number, format: WavFormat): void {
    const core = this.core;
    core.reset();
    core.play();
    const chunk = CHUNK_BLOCKS * core.blockSize;
    const planes = [new Float32Array(chunk), new Float32Array(chunk)];
    writeAtomically(output, (write) => {
      write(wavHeader(format, frames));
      let scratch: Uint8Array | undefined;
      for (let start = 0; start < frames; start += chunk) {
        const n = Math.min(chunk, frames - start);
        for (let off = 0; off < n; off += core.blockSize) {
          core.process();
          const m = Math.min(core.blockSize, n - off);
          (planes[0] as Float32Array).set(core.output[0].subarray(0, m), off);
          (planes[1] as Float32Array).set(core.output[1].subarray(0, m), off);
        }
        scratch = encodeWavFrames(format, planes, 0, n, scratch);
        write(scratch);
      }
    });
  }
}
