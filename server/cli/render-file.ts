import type { SessionDocument } from '../../src/protocol/session.ts';
import { compileDocument } from '../../src/model/index.ts';
import { directProjection, encodeWavFrames, wavHeader, type DecodedWav, type EngineCore, type WavFormat } from '../../wasm/host/index.ts';
import { writeAtomically } from './atomic-write.ts';

const CHUNK_BLOCKS = 64;

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
