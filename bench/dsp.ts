/**
 * `outboard bench dsp` (SPEC §9): the reference session — 16 tracks of
 * eq + compressor + delay, two reverb sends on bus tracks, the master bus —
 * rendered by the WASM engine in this process (realtime factor, ns per frame
 * per plugin), the same chain in plain TypeScript for the ratio; then the
 * CLI itself (bench/cli.ts): its start-up, and `outboard process` against sox.
 */
import { loadEngine } from '../server/cli/engine-file.ts';
import { SessionDocumentSchema, type SessionDocument } from '../src/protocol/session.ts';
import { directProjection, encodeWavFrames, wavHeader, type EngineCore } from '../wasm/host/index.ts';
import { compileDocument } from '../src/model/index.ts';
import { referenceSources } from './app/reference-sources.ts';
import { cliStartBench, soxBench, START_TARGET_MS } from './cli.ts';
import { PlainSession, type ReferencePlugins } from './dsp-plain.ts';
import { printTable, ratio } from './table.ts';

const FS = 48000;
const TRACKS = 16;
const SEND_DB = -12;
const PLUGINS: ReferencePlugins = {
  eq: { low_freq: 90, low_gain: 3, mid1_freq: 400, mid1_gain: -4, mid1_q: 1.4, mid2_freq: 2800, mid2_gain: 2.5, mid2_q: 1, high_freq: 9000, high_gain: 2 },
  compressor: { threshold_db: -24, ratio: 4, attack_ms: 10, release_ms: 100, knee_db: 6, makeup_db: 4 },
  delay: { time_ms: 375, feedback: 0.35, mix: 0.3, damping_hz: 8000 },
  reverb: { room_size: 0.7, damping: 0.5, width: 1, mix: 1 },
};

/** A 2 s stereo loop per track (shared with the browser bench). */
const sources = () => referenceSources(TRACKS, FS);

/** The reference session as a document: what the app would hold. */
export function referenceSession(): SessionDocument {
  const tracks = Array.from({ length: TRACKS }, (_, t) => ({
    id: `t${t}`, name: `Track ${t + 1}`, source: { kind: 'file', sample_id: `s${t}` },
    chain: [
      { id: 'eq', type: 'eq', params: PLUGINS.eq },
      { id: 'comp', type: 'compressor', params: PLUGINS.compressor },
      { id: 'dly', type: 'delay', params: PLUGINS.delay },
    ],
    sends: [{ target: 'verbA', gain_db: SEND_DB }, { target: 'verbB', gain_db: SEND_DB }],
  }));
  const bus = (id: string, room: number) => ({
    id, name: id, source: { kind: 'bus' }, chain: [{ id: 'rv', type: 'reverb', params: { ...PLUGINS.reverb, room_size: room } }],
  });
  return SessionDocumentSchema.parse({
    format: 'outboard.session/1', id: 'bench', name: 'Reference session', tempo_bpm: 120,
    tracks: [...tracks, bus('verbA', PLUGINS.reverb.room_size), bus('verbB', 0.5)],
  });
}

/**
 * Best CPU time (ms, user + system of this process) of `runs` calls. CPU
 * time, not wall time: on a shared machine it counts only the cycles this
 * process got, which is what "realtime factor on one core" means.
 */
function best(runs: number, f: () => void): number {
  let ms = Infinity;
  for (let i = 0; i < runs; i++) {
    const t0 = process.cpuUsage();
    f();
    const t = process.cpuUsage(t0);
    ms = Math.min(ms, (t.user + t.system) / 1000);
  }
  return ms;
}

function blocks(core: EngineCore, seconds: number): () => void {
  const n = Math.round((seconds * FS) / core.blockSize);
  return () => { for (let b = 0; b < n; b++) core.process(); };
}

async function wasmSession(seconds: number, runs: number): Promise<number> {
  const core = await loadEngine(FS);
  const { graph, executor } = directProjection(core);
  graph.load(compileDocument(referenceSession()));
  sources().forEach((s, t) => executor.setSample(`s${t}`, s, FS));
  core.play();
  blocks(core, 1)();
  return best(runs, blocks(core, seconds));
}

/**
 * ns per stereo frame for one instance of `type`: 16 tracks with it minus 16
 * empty tracks, the two measured alternately so load changes hit both alike.
 */
async function wasmPluginCost(type: string, params: Record<string, number>, seconds: number, runs: number): Promise<number> {
  const build = async (withPlugin: boolean) => {
    const core = await loadEngine(FS);
    const src = sources();
    for (let t = 0; t < TRACKS; t++) {
      core.setTrackActive(t, true);
      core.setTrackSource(t, 'file');
      core.loadSample(t, src[t] as Float32Array[]);
      if (withPlugin) core.insertPlugin(t, 0, type, params);
    }
    core.play();
    blocks(core, 0.5)();
    return blocks(core, seconds);
  };
  const base = await build(false), full = await build(true);
  let b = Infinity, f = Infinity;
  for (let i = 0; i < runs * 2; i++) {
    b = Math.min(b, best(1, base));
    f = Math.min(f, best(1, full));
  }
  return Math.max(0, ((f - b) * 1e6) / (seconds * FS * TRACKS));
}

function plainSession(seconds: number, runs: number): { ms: number; perPlugin: Record<string, number> } {
  const n = Math.round((seconds * FS) / 128);
  const session = new PlainSession(sources(), PLUGINS, SEND_DB, FS);
  for (let b = 0; b < FS / 128; b++) session.process();
  const ms = best(runs, () => { for (let b = 0; b < n; b++) session.process(); });
  // A separate timed pass (the clock reads cost time themselves) for the split per plugin.
  const timed = new PlainSession(sources(), PLUGINS, SEND_DB, FS, true);
  for (let b = 0; b < n; b++) timed.process();
  const frames = seconds * FS;
  const perPlugin = Object.fromEntries(Object.entries(timed.timings).map(([k, v]) => [k, (v * 1e6) / (frames * (k === 'reverb' ? 2 : TRACKS))]));
  return { ms, perPlugin };
}

/** Runs the DSP suite; `--quick` shortens every measurement (smoke runs). */
export async function run(args: string[]): Promise<void> {
  const quick = args.includes('--quick');
  // Many short runs, keeping the best: on a shared machine the minimum is
  // the closest estimate of the uncontended cost.
  const seconds = quick ? 2 : 10;
  const runs = quick ? 1 : 9;
  const wasmMs = await wasmSession(seconds, runs);
  const plain = plainSession(quick ? 1 : 10, quick ? 1 : 3);
  const plainMs = (plain.ms * seconds) / (quick ? 1 : 10);
  const wasmX = (seconds * 1000) / wasmMs, plainX = (seconds * 1000) / plainMs;
  printTable(`DSP: reference session (${TRACKS} tracks x eq + compressor + delay, 2 reverb buses, master), ${FS} Hz, one core (CPU time, best of ${runs})`, ['engine', 'realtime x', 'cpu ms per s of audio', 'vs plain TS'], [
    ['WASM engine (SIMD)', wasmX, (wasmMs / seconds), ratio(plainMs / wasmMs)],
    ['plain TypeScript', plainX, (plainMs / seconds), '1.00x'],
  ]);
  const costSeconds = quick ? 1 : 4;
  const rows: (string | number)[][] = [];
  for (const [type, params] of [['eq', PLUGINS.eq], ['compressor', PLUGINS.compressor], ['delay', PLUGINS.delay], ['reverb', PLUGINS.reverb]] as const) {
    const ns = await wasmPluginCost(type, params as Record<string, number>, costSeconds, runs);
    const plainNs = plain.perPlugin[type] ?? NaN;
    rows.push([type, ns, plainNs, ratio(plainNs / ns)]);
  }
  printTable('DSP: ns per stereo frame (one L+R sample pair) per plugin instance', ['plugin', 'WASM ns', 'plain TS ns', 'ratio'], rows);
  const start = cliStartBench(quick ? 3 : 10);
  const sox = quick ? null : soxBench(5, start);
  if (!sox) process.stdout.write(quick ? '\n(sox comparison skipped with --quick)\n' : '\n(sox not installed: `outboard process` vs sox skipped)\n');
  const verdict = (ok: boolean) => (ok ? 'met' : 'NOT met');
  const soxVerdict = sox
    ? `; npx outboard process faster than sox: ${verdict(sox.npxVsSox >= 1)} in this checkout (${ratio(sox.npxVsSox)}), `
      + `${verdict(sox.npxDependentVsSox >= 1)} in a project that depends on outboard (${ratio(sox.npxDependentVsSox)}); the bin ${ratio(sox.binVsSox)}`
    : '';
  process.stdout.write(`\nTargets: realtime >= 50x: ${verdict(wasmX >= 50)}; WASM >= 2x plain TS: ${verdict(plainMs / wasmMs >= 2)}; `
    + `outboard --version < ${START_TARGET_MS} ms: ${verdict(start.binMs < START_TARGET_MS)}${soxVerdict}\n`);
}
