import { readFile } from 'node:fs/promises';
import type { OutboardError } from '../../src/protocol/errors.ts';
import { decodeWav, encodeWavFrames, wavHeader, type WavBits, type WavFormat } from '../../wasm/host/index.ts';
import type { EngineCore } from '../../wasm/host/index.ts';
import { writeAtomically } from './atomic-write.ts';
import { parseChain, type ChainStep } from './chain-spec.ts';
import type { Command } from './command.ts';
import { parseArgs, UsageError } from './command.ts';
import { loadEngine } from './engine-file.ts';

/** Blocks encoded per write: 64 x 128 frames, one reused buffer. */
const CHUNK_BLOCKS = 64;

/** Prints a typed error the way every CLI command does; returns the exit code. */
export function reportError(command: string, error: OutboardError): number {
  process.stderr.write(`outboard ${command}: ${error.code}: ${error.message}\n`);
  return 1;
}

/** Parses `--bits`: 16, 24 or 32 (32 is float unless `--int`). */
export function parseBits(flags: Map<string, string | true>): WavBits {
  const raw = flags.get('bits') ?? '32';
  if (raw !== '16' && raw !== '24' && raw !== '32') throw new UsageError(`--bits must be 16, 24 or 32 (got "${String(raw)}")`);
  return Number(raw) as WavBits;
}

/** Builds the chain on track slot 0, fed by the engine's input. */
function buildChain(core: EngineCore, chain: readonly ChainStep[]): void {
  core.setTrackActive(0, true);
  core.setTrackSource(0, 'input');
  chain.forEach((step, i) => core.insertPlugin(0, i, step.type, step.params));
}

/**
 * Runs `channels` through the engine block by block and hands each chunk of
 * output (planar, `channelCount` channels) to `sink`. Mono in: both engine
 * channels carry it, and the output is their average.
 */
export function runOffline(core: EngineCore, channels: readonly Float32Array[], sink: (out: Float32Array[], frames: number) => void): void {
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

/** `outboard process IN OUT TYPE[:param=value,...] ...`: a plugin chain over a WAV file, sox-style. */
export const processCommand: Command = {
  async run(args) {
    const { positional, flags } = parseArgs(args, ['int']);
    const [input, output, ...specs] = positional;
    if (!input || !output) throw new UsageError('needs an input and an output file');
    const bits = parseBits(flags);
    const chain = parseChain(specs);
    if (!chain.ok) return reportError('process', chain.error);
    let bytes: Uint8Array;
    try {
      bytes = await readFile(input);
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
      process.stderr.write(`outboard process: cannot read ${input}: ${reason}\n`);
      return 1;
    }
    const wav = decodeWav(bytes);
    if (!wav.ok) return reportError('process', { ...wav.error, message: `${input}: ${wav.error.message}` });
    const { sampleRate, channels } = wav.value;
    const format: WavFormat = { sampleRate, channels: channels.length, bits, float: bits === 32 && !flags.has('int') };
    const core = await loadEngine(sampleRate);
    buildChain(core, chain.value);
    const frames = channels[0]?.length ?? 0;
    writeAtomically(output, (write) => {
      write(wavHeader(format, frames));
      let scratch: Uint8Array | undefined;
      runOffline(core, channels, (out, n) => {
        scratch = encodeWavFrames(format, out, 0, n, scratch);
        write(scratch);
      });
      if ((frames * format.channels * (bits / 8)) & 1) write(new Uint8Array(1));
    });
    return 0;
  },
};
