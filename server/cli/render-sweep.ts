import { basename, extname, join } from 'node:path';
import { parseSessionDocument } from '../../src/model/index.ts';
import type { Result } from '../../src/protocol/errors.ts';
import type { SessionDocument } from '../../src/protocol/session.ts';
import type { WavBits } from '../../wasm/host/index.ts';
import { makeOutputFolder, writeAtomically } from './atomic-write.ts';
import { BatchRefused, checkBatchOptions, runBatch, type BatchOptions, type BatchReport } from './batch.ts';
import type { BatchJob } from './batch-worker.ts';
import { UsageError } from './command.ts';
import { defaultSeconds, loadSamples, readSession } from './render-file.ts';
import { parseVary, variantValues, variants, type SweepMode, type Variant, type Vary } from './sweep.ts';

/** What {@link renderSweep} renders: the library's form of `outboard render SESSION.json DIR --vary ...`. */
export interface RenderSweepOptions extends BatchOptions {
  /** A session file's path, or a session document (validated either way). */
  readonly session: string | object;
  /** Where the renders and the manifest go; created when missing. */
  readonly outDir: string;
  /** `TRACK/PLUGIN/PARAM=FROM..TO:STEPS`, as on the command line (`=FROM..TO` optional with `random`). */
  readonly vary: readonly string[];
  /** Every combination of the varied params (default: they move together). */
  readonly grid?: boolean;
  /** Render this many random draws within each param's range instead of steps. */
  readonly random?: number;
  /** The draws' seed (default 1): the same seed gives the same files, byte for byte. */
  readonly seed?: number;
  /** Length of each render (default: 8 bars at the session tempo). */
  readonly seconds?: number;
  /** Sample rate (default 48000). */
  readonly rate?: number;
  readonly bits?: WavBits;
  readonly int?: boolean;
  /** Sample id -> WAV file, for the session's file sources. */
  readonly samples?: Readonly<Record<string, string>>;
  /** Write manifest.csv instead of manifest.jsonl. */
  readonly csv?: boolean;
  /** File names are NAME_0001.wav...; default: the session file's name, or `render`. */
  readonly name?: string;
}

/** One rendered variant: its file (in outDir) and the exact values it was rendered with. */
export interface ManifestRow {
  readonly file: string;
  readonly params: Variant;
}

/** A sweep's report: the batch's, the manifest's path and its rows (the files written). */
export interface SweepReport extends BatchReport {
  readonly manifest: string;
  readonly rows: readonly ManifestRow[];
}

const refused = <T>(result: Result<T>): T => {
  if (!result.ok) throw new BatchRefused(result.error);
  return result.value;
};

function manifestText(rows: readonly ManifestRow[], keys: readonly string[], csv: boolean): string {
  if (!csv) return rows.map((r) => `${JSON.stringify(r)}\n`).join('');
  // Keys and file names are ids and our own names: nothing to quote.
  return [['file', ...keys].join(','), ...rows.map((r) => [r.file, ...keys.map((k) => String(r.params[k]))].join(','))].map((l) => `${l}\n`).join('');
}

function sweepMode(options: RenderSweepOptions): SweepMode {
  if (options.random === undefined) return options.grid ? { kind: 'grid' } : { kind: 'together' };
  if (options.grid) throw new UsageError('--grid and --random do not go together: --random draws every param at once');
  if (!Number.isInteger(options.random) || options.random < 1 || options.random > 1_000_000) throw new UsageError(`random must be a whole number from 1 to 1000000 (got ${options.random})`);
  const seed = options.seed ?? 1;
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw new UsageError(`seed must be a whole number from 0 to 4294967295 (got ${seed})`);
  return { kind: 'random', count: options.random, seed };
}

/**
 * Renders every variant of a session's params to `outDir/NAME_0001.wav`...
 * on a pool of worker threads, and writes a manifest naming each file with
 * the exact values it was rendered with (only files that were written).
 * Throws {@link BatchRefused} for a bad session or `--vary`, and
 * {@link UsageError} for bad options, before anything is rendered.
 */
export async function renderSweep(options: RenderSweepOptions): Promise<SweepReport> {
  const mode = sweepMode(options);
  const doc: SessionDocument = refused(typeof options.session === 'string'
    ? await readSession(options.session)
    : parseSessionDocument(JSON.stringify(options.session)));
  const varies: Vary[] = options.vary.map((spec) => refused(parseVary(spec, doc)));
  const twice = varies.find((v, i) => varies.findIndex((w) => w.key === v.key) !== i);
  if (twice) throw new UsageError(`${twice.key} is varied twice`);
  const list = refused(variants(varies, mode));
  const rate = options.rate ?? 48000;
  if (!Number.isInteger(rate) || rate < 8000 || rate > 192000) throw new UsageError(`rate must be a whole number from 8000 to 192000 (got ${rate})`);
  const seconds = options.seconds ?? defaultSeconds(doc);
  if (!(seconds > 0 && seconds <= 3600)) throw new UsageError(`seconds must be in (0, 3600] (got ${seconds})`);
  const bits = options.bits ?? 32;
  checkBatchOptions(options, bits);
  const sampleFiles = new Map(Object.entries(options.samples ?? {}));
  // Decoded here once to refuse a bad file up front; the workers decode their own copy.
  const { samples } = refused(await loadSamples(doc, sampleFiles));
  if (options.name !== undefined && !/^[\w.-]+$/.test(options.name)) throw new UsageError(`name must be letters, digits, '.', '-' or '_' (got "${options.name}")`);
  // From a session file "My Song.json": My_Song_0001.wav.
  const name = options.name ?? (typeof options.session === 'string' ? basename(options.session, extname(options.session)).replace(/[^\w.-]+/g, '_') : 'render');
  const digits = Math.max(4, String(list.length).length);
  const files = list.map((_, i) => `${name}_${String(i + 1).padStart(digits, '0')}.wav`);
  const jobs: BatchJob[] = list.map((variant, i) => ({
    kind: 'render',
    output: join(options.outDir, files[i] as string),
    document: doc,
    values: variantValues(varies, variant),
    rate,
    frames: Math.round(seconds * rate),
    bits,
    int: options.int ?? false,
    samples: Object.fromEntries([...samples.keys()].map((id) => [id, sampleFiles.get(id) as string])),
  }));
  makeOutputFolder(options.outDir);
  const report = await runBatch(jobs, options);
  const rows = report.files.filter((f) => f.ok).map((f) => ({ file: files[f.index] as string, params: list[f.index] as Variant }));
  const manifest = join(options.outDir, options.csv ? 'manifest.csv' : 'manifest.jsonl');
  const text = manifestText(rows, varies.map((v) => v.key), options.csv ?? false);
  writeAtomically(manifest, (write) => write(Buffer.from(text)));
  return { ...report, manifest, rows };
}
