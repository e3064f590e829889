import { readFile } from 'node:fs/promises';
import { parseSessionDocument } from '../../src/model/index.ts';
import type { SessionDocument } from '../../src/protocol/session.ts';
import { decodeWav, type DecodedWav, type WavFormat } from '../../wasm/host/index.ts';
import type { Command } from './command.ts';
import { parseArgs, UsageError } from './command.ts';
import { loadEngine } from './engine-file.ts';
import { parseBits, reportError } from './process.ts';
import { SessionRenderer } from './render-file.ts';

const BARS_BY_DEFAULT = 8;

/** Pulls every `--sample ID=PATH` out of the args (the flag may repeat). */
function takeSamples(args: string[]): { rest: string[]; samples: Map<string, string> } {
  const rest: string[] = [];
  const samples = new Map<string, string>();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    const inline = arg.startsWith('--sample=') ? arg.slice('--sample='.length) : null;
    if (arg !== '--sample' && inline === null) {
      rest.push(arg);
      continue;
    }
    const spec = inline ?? args[++i];
    const eq = spec?.indexOf('=') ?? -1;
    if (!spec || eq <= 0) throw new UsageError('--sample needs ID=FILE.wav');
    samples.set(spec.slice(0, eq), spec.slice(eq + 1));
  }
  return { rest, samples };
}

function positiveNumber(flags: Map<string, string | true>, name: string, fallback: number, max: number): number {
  const raw = flags.get(name);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (raw === true || !Number.isFinite(value) || value <= 0 || value > max) throw new UsageError(`--${name} must be a number in (0, ${max}]`);
  return value;
}

async function readText(path: string): Promise<string | Error> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    return new Error((error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message);
  }
}

/** Decodes the `--sample` files the document uses; unused ones are ignored. */
async function loadSamples(doc: SessionDocument, files: Map<string, string>): Promise<Map<string, DecodedWav> | string> {
  const used = new Set(doc.tracks.flatMap((t) => (t.source.kind === 'file' ? [t.source.sample_id] : [])));
  const out = new Map<string, DecodedWav>();
  for (const [id, path] of files) {
    if (!used.has(id)) continue;
    let bytes: Uint8Array;
    try {
      bytes = await readFile(path);
    } catch (error) {
      return `cannot read sample ${id} from ${path}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`;
    }
    const wav = decodeWav(bytes);
    if (!wav.ok) return `sample ${id} (${path}): ${wav.error.message}`;
    out.set(id, wav.value);
  }
  for (const id of used) if (!out.has(id)) process.stderr.write(`outboard render: warning: no --sample for "${id}"; that track is silent\n`);
  return out;
}

/** `outboard render SESSION.json OUT.wav [--seconds N]`: renders a saved session document offline. */
export const renderCommand: Command = {
  async run(args) {
    const { rest, samples: sampleFiles } = takeSamples(args);
    const { positional, flags } = parseArgs(rest, ['int']);
    const [input, output, extra] = positional;
    if (!input || !output) throw new UsageError('needs a session file and an output file');
    if (extra !== undefined) throw new UsageError(`unexpected argument "${extra}"`);
    const bits = parseBits(flags);
    const rate = Math.round(positiveNumber(flags, 'rate', 48000, 192000));
    if (rate < 8000) throw new UsageError('--rate must be at least 8000');
    const text = await readText(input);
    if (text instanceof Error) {
      process.stderr.write(`outboard render: cannot read ${input}: ${text.message}\n`);
      return 1;
    }
    const parsed = parseSessionDocument(text);
    if (!parsed.ok) {
      const where = parsed.error.field ? ` (at ${parsed.error.field})` : '';
      return reportError('render', { ...parsed.error, message: `${input}: ${parsed.error.message}${where}` });
    }
    const doc = parsed.value;
    const seconds = positiveNumber(flags, 'seconds', (BARS_BY_DEFAULT * 4 * 60) / doc.tempo_bpm, 3600);
    const samples = await loadSamples(doc, sampleFiles);
    if (typeof samples === 'string') {
      process.stderr.write(`outboard render: ${samples}\n`);
      return 1;
    }
    const renderer = new SessionRenderer(await loadEngine(rate));
    renderer.load(doc, samples);
    const format: WavFormat = { sampleRate: rate, channels: 2, bits, float: bits === 32 && !flags.has('int') };
    renderer.render(output, Math.round(seconds * rate), format);
    return 0;
  },
};
