import { getParam } from '../../src/plugins/index.ts';
import { fail, ok, outboardError, type Result } from '../../src/protocol/errors.ts';
import type { ParamDescriptor } from '../../src/protocol/plugin.ts';
import type { SessionDocument } from '../../src/protocol/session.ts';
import { readParamValue } from './chain-spec.ts';

/** One `--vary TRACK/PLUGIN/PARAM=FROM..TO:STEPS`, resolved against the session and the catalog. */
export interface Vary {
  /** `trackId/pluginId/param`: the manifest's column for it. */
  readonly key: string;
  readonly trackId: string;
  readonly pluginId: string;
  readonly param: ParamDescriptor;
  readonly from: number;
  readonly to: number;
  /** Values a sweep takes (absent: only random draws are allowed). */
  readonly steps?: number;
}

/** One variant to render: param key -> the exact value it is rendered with. */
export type Variant = Readonly<Record<string, number>>;

/** How the varied params combine into variants. */
export type SweepMode = { readonly kind: 'together' } | { readonly kind: 'grid' } | { readonly kind: 'random'; readonly count: number; readonly seed: number };

const SPEC = /^([^/=]+)\/([^/=]+)\/([^/=]+)(?:=([^:]+?)\.\.([^:]+?)(?::(\d+))?)?$/;

/**
 * Resolves one `--vary` against `doc`: TRACK is a track id or name (`master`
 * for the master bus), PLUGIN a plugin id or a type found once in that
 * chain, PARAM one of its catalog params. Without `=FROM..TO` the range is
 * the param's whole range.
 */
export function parseVary(spec: string, doc: SessionDocument): Result<Vary> {
  const m = SPEC.exec(spec);
  const bad = (why: string) => fail(outboardError('INVALID_PARAMETER', `--vary ${spec}: ${why}`, 'vary'));
  if (!m) return bad('expected TRACK/PLUGIN/PARAM=FROM..TO:STEPS');
  const [, trackRef, pluginRef, paramId, rawFrom, rawTo, rawSteps] = m as unknown as [string, string, string, string, string?, string?, string?];
  const tracks = [...doc.tracks, doc.master];
  const track = tracks.find((t) => t.id === trackRef) ?? tracks.find((t) => t.name === trackRef);
  if (!track) return fail(outboardError('TRACK_NOT_FOUND', `--vary ${spec}: no track "${trackRef}" (tracks: ${tracks.map((t) => t.id).join(', ')})`, 'vary'));
  const byType = track.chain.filter((p) => p.type === pluginRef);
  const plugin = track.chain.find((p) => p.id === pluginRef) ?? (byType.length === 1 ? byType[0] : undefined);
  if (!plugin) {
    const chain = track.chain.map((p) => `${p.id} (${p.type})`).join(', ') || 'none';
    return fail(outboardError('PLUGIN_NOT_FOUND', `--vary ${spec}: track ${track.id} has no plugin "${pluginRef}"${byType.length > 1 ? ' (that type is there more than once: name it by id)' : ''} (plugins: ${chain})`, 'vary'));
  }
  const param = getParam(plugin.type, paramId);
  if (!param) return bad(`${plugin.type} has no param "${paramId}"`);
  const range = param.choices ? `${param.choices.join(' | ')} (or ${param.min}..${param.max})` : `${param.min}..${param.max}`;
  // Read as `process` reads a chain's values: choices by name or index, numbers in decimal.
  const value = (raw: string | undefined, fallback: number): number => (raw === undefined ? fallback : readParamValue(param, raw));
  const from = value(rawFrom, param.min);
  const to = value(rawTo, param.max);
  for (const v of [from, to]) {
    if (!Number.isFinite(v) || v < param.min || v > param.max) return bad(`${paramId} must stay within ${range}${param.unit ? ` ${param.unit}` : ''}`);
  }
  if (rawSteps === undefined) return ok({ key: `${track.id}/${plugin.id}/${param.id}`, trackId: track.id, pluginId: plugin.id, param, from, to });
  const steps = Number(rawSteps);
  if (steps < 1 || steps > 100_000) return bad('STEPS must be from 1 to 100000');
  return ok({ key: `${track.id}/${plugin.id}/${param.id}`, trackId: track.id, pluginId: plugin.id, param, from, to, steps });
}

/**
 * A value the param can hold, written the way it is stored: choices and
 * stepped params on their grid, others to 6 significant digits (what the
 * manifest says is exactly what was rendered).
 */
function settle(param: ParamDescriptor, value: number): number {
  const stepped = param.choices ? Math.round(value) : param.step ? Math.round(value / param.step) * param.step : Number(value.toPrecision(6));
  return Math.min(param.max, Math.max(param.min, Number(stepped.toPrecision(12))));
}

/** The value at position `t` in [0, 1] of the range: geometric for log params (a cutoff sweep in even musical steps), linear otherwise. */
function at(v: Vary, t: number): number {
  if (v.param.scale === 'log' && v.from > 0 && v.to > 0) return settle(v.param, v.from * (v.to / v.from) ** t);
  if (v.param.choices) return settle(v.param, Math.min(v.to, Math.floor(v.from + (v.to - v.from + 1) * t)));
  return settle(v.param, v.from + (v.to - v.from) * t);
}

const stepValue = (v: Vary, i: number): number => (v.steps === 1 ? settle(v.param, v.from) : at(v, i / ((v.steps as number) - 1)));

/**
 * A small fast PRNG (mulberry32): the same seed gives the same draws on every
 * machine and Node version, which Math.random cannot promise.
 */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The variants, in render order. `together`: every param moves at once
 * (all need the same STEPS); `grid`: every combination, the first --vary
 * changing slowest; `random`: `count` draws, uniform within each range
 * (geometric for log params), the same for the same seed.
 */
export function variants(varies: readonly Vary[], mode: SweepMode): Result<Variant[]> {
  const refuse = (why: string) => fail(outboardError('INVALID_PARAMETER', why, 'vary'));
  if (varies.length === 0) return refuse('nothing to vary: give at least one --vary TRACK/PLUGIN/PARAM=FROM..TO:STEPS');
  if (mode.kind === 'random') {
    const stepped = varies.find((v) => v.steps !== undefined);
    if (stepped) return refuse(`--vary ${stepped.key}: --random draws within FROM..TO; drop :STEPS (it is for steps and --grid)`);
    const rand = mulberry32(mode.seed);
    return ok(Array.from({ length: mode.count }, () => Object.fromEntries(varies.map((v) => [v.key, at(v, rand())]))));
  }
  const missing = varies.find((v) => v.steps === undefined);
  if (missing) return refuse(`--vary ${missing.key} needs :STEPS (FROM..TO:STEPS) unless --random draws the values`);
  if (mode.kind === 'together') {
    const steps = varies[0]?.steps as number;
    const other = varies.find((v) => v.steps !== steps);
    if (other) return refuse(`--vary ${other.key} has ${other.steps} steps and ${varies[0]?.key} ${steps}: params that move together need the same STEPS (or --grid for every combination)`);
    return ok(Array.from({ length: steps }, (_, i) => Object.fromEntries(varies.map((v) => [v.key, stepValue(v, i)]))));
  }
  const total = varies.reduce((n, v) => n * (v.steps as number), 1);
  if (total > 1_000_000) return refuse(`--grid would render ${total} files; at most 1000000`);
  let grid: Record<string, number>[] = [{}];
  for (const v of varies) grid = grid.flatMap((row) => Array.from({ length: v.steps as number }, (_, i) => ({ ...row, [v.key]: stepValue(v, i) })));
  return ok(grid);
}

/** One param set to one value: what a worker applies to the session for a variant. */
export interface ParamValue {
  readonly trackId: string;
  readonly pluginId: string;
  readonly param: string;
  readonly value: number;
}

/** A variant as the values a worker sets (small: every job shares the one document). */
export const variantValues = (varies: readonly Vary[], variant: Variant): ParamValue[] =>
  varies.map((v) => ({ trackId: v.trackId, pluginId: v.pluginId, param: v.param.id, value: variant[v.key] as number }));

/** `doc` with `values` set (a copy; `doc` is untouched). */
export function applyValues(doc: SessionDocument, values: readonly ParamValue[]): SessionDocument {
  const copy = structuredClone(doc);
  for (const v of values) {
    const track = v.trackId === copy.master.id ? copy.master : copy.tracks.find((t) => t.id === v.trackId);
    const plugin = track?.chain.find((p) => p.id === v.pluginId);
    if (plugin) plugin.params = { ...plugin.params, [v.param]: v.value };
  }
  return copy;
}
