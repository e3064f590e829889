import { fail, ok, outboardError, type Result } from '../protocol/errors.ts';
import type { Hlc, SessionId } from '../protocol/ids.ts';
import { newId } from '../protocol/ids.ts';
import type { Op } from '../protocol/ops.ts';
import { zodToError } from '../protocol/parse.ts';
import type { Meta, SessionDocument, Track } from '../protocol/session.ts';
import { SESSION_FORMAT, SessionDocumentSchema } from '../protocol/session.ts';
import { defaultParams, getPlugin } from '../plugins/index.ts';
import { apply, type StampedOp } from './apply.ts';
import { sortByPositions } from './draft.ts';
import { keys, POSITION_FIELD } from './keys.ts';
import { initialPositions } from './order.ts';
import { checkParams } from './validate.ts';

/** A new, empty session. */
export function createSession(init: { id: SessionId; name: string; tempo_bpm?: number }): SessionDocument {
  return SessionDocumentSchema.parse({ format: SESSION_FORMAT, ...init });
}

/**
 * Older formats, each migrated one step forward. `outboard.session/1` is the
 * first format; a future `/2` adds `'outboard.session/1': (doc) => …` here.
 */
const MIGRATIONS: Readonly<Record<string, (doc: Record<string, unknown>) => Record<string, unknown>>> = {};

/** Gives list elements written without order keys (hand-made files) keys in their written order. */
function withPositions(doc: SessionDocument): SessionDocument {
  const positions = { ...doc.meta.positions };
  const fill = (ids: string[], key: (id: string) => string) => {
    if (ids.every((id) => positions[key(id)] !== undefined)) return;
    initialPositions(ids.length).forEach((p, i) => (positions[key(ids[i]!)] = p));
  };
  fill(doc.tracks.map((t) => t.id), keys.track);
  for (const t of [...doc.tracks, doc.master]) fill(t.chain.map((p) => p.id), (id) => keys.plugin(t.id, id));
  const meta: Meta = { ...doc.meta, positions };
  const sortChain = (t: Track) => ({ ...t, chain: sortByPositions(t.chain, meta, (p) => keys.plugin(t.id, p.id)) });
  return {
    ...doc,
    meta,
    master: { ...sortChain(doc.master), id: doc.master.id },
    tracks: sortByPositions(doc.tracks, meta, (t) => keys.track(t.id)).map(sortChain),
  };
}

/** Checks what the schema cannot: catalog types and params, unique ids. Fills missing params with defaults. */
function checkAgainstCatalog(doc: SessionDocument): Result<SessionDocument> {
  const trackIds = new Set<string>();
  const tracks = [...doc.tracks, doc.master];
  const checked: Track[] = [];
  for (const [ti, track] of tracks.entries()) {
    const at = track.id === doc.master.id ? 'master' : `tracks.${ti}`;
    if (trackIds.has(track.id)) return fail(outboardError('INVALID_MESSAGE', `track id "${track.id}" appears twice`, `${at}.id`));
    trackIds.add(track.id);
    const pluginIds = new Set<string>();
    const chain = [];
    for (const [pi, plugin] of track.chain.entries()) {
      const field = `${at}.chain.${pi}`;
      if (pluginIds.has(plugin.id)) return fail(outboardError('INVALID_MESSAGE', `plugin id "${plugin.id}" appears twice`, `${field}.id`));
      pluginIds.add(plugin.id);
      const descriptor = getPlugin(plugin.type);
      if (!descriptor) return fail(outboardError('PLUGIN_NOT_FOUND', `plugin type "${plugin.type}" is not in the catalog`, `${field}.type`));
      const error = checkParams(plugin.type, plugin.params, `${field}.params`);
      if (error) return fail(error);
      chain.push({ ...plugin, params: { ...defaultParams(descriptor), ...plugin.params } });
    }
    checked.push({ ...track, chain });
  }
  for (const [pi, preset] of doc.presets.entries()) {
    const field = `presets.${pi}`;
    if (!getPlugin(preset.plugin_type)) {
      return fail(outboardError('PLUGIN_NOT_FOUND', `preset "${preset.id}" is for unknown plugin type "${preset.plugin_type}"`, `${field}.plugin_type`));
    }
    const error = checkParams(preset.plugin_type, preset.params, `${field}.params`);
    if (error) return fail(error);
  }
  const master = checked.pop()!;
  return ok({ ...doc, tracks: checked, master: { ...master, id: doc.master.id } });
}

/**
 * The format a session file names when a newer Outboard wrote it
 * (`outboard.session/N` past this one), or undefined: such a file is not
 * broken, this app is old (an installed app not updated yet).
 */
export function newerSessionFormat(text: string): string | undefined {
  let format: unknown;
  try {
    format = (JSON.parse(text) as { format?: unknown } | null)?.format;
  } catch {
    return undefined;
  }
  const version = (f: unknown) => (typeof f === 'string' ? /^outboard\.session\/(\d+)$/.exec(f)?.[1] : undefined);
  const theirs = version(format);
  return theirs !== undefined && Number(theirs) > Number(version(SESSION_FORMAT)) ? (format as string) : undefined;
}

/**
 * Validates and migrates a session document from outside (a file, an
 * IndexedDB record, an HTTP body). Never throws; the error names the field.
 */
export function parseSessionDocument(input: unknown): Result<SessionDocument> {
  let value = input;
  if (typeof input === 'string') {
    try {
      value = JSON.parse(input);
    } catch {
      return fail(outboardError('INVALID_MESSAGE', 'session file is not valid JSON'));
    }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return fail(outboardError('INVALID_MESSAGE', 'a session document must be a JSON object'));
  }
  let record = value as Record<string, unknown>;
  for (let step = 0; typeof record.format === 'string' && MIGRATIONS[record.format] && step < 16; step++) {
    record = MIGRATIONS[record.format]!(record);
  }
  if (record.format !== SESSION_FORMAT) {
    return fail(outboardError('INVALID_MESSAGE', `unsupported session format ${JSON.stringify(record.format)}; expected "${SESSION_FORMAT}"`, 'format'));
  }
  const parsed = SessionDocumentSchema.safeParse(record);
  if (!parsed.success) return fail(zodToError(parsed.error));
  const checked = checkAgainstCatalog(parsed.data);
  return checked.ok ? ok(withPositions(checked.value)) : checked;
}

/**
 * The ops that merge a whole document into another replica exactly as its
 * edits would have (for publishing a session made offline). Each register
 * carries its own clock from `doc.meta`; registers never written on their
 * own carry their element's creation clock, or `fallback` when the document
 * has no clocks at all (a hand-made file).
 */
export function documentToOps(doc: SessionDocument, fallback: Hlc): StampedOp[] {
  const { clocks, positions, tombstones } = doc.meta;
  const ops: StampedOp[] = [];
  const push = (op: Op, hlc: Hlc) => ops.push({ ...op, id: newId('m'), hlc } as StampedOp);
  // A file with no clocks at all was written by hand: all of it is one edit, made now.
  const handMade = Object.keys(clocks).length === 0;
  const clock = (key: string, element?: string) => clocks[key] ?? (element ? clocks[element] : undefined) ?? fallback;
  /** Registers never written keep their initial value; only written ones (or a hand-made file's) travel. */
  const written = (key: string) => handMade || clocks[key] !== undefined;

  if (written(keys.session('name'))) push({ id: '', type: 'UPDATE_SESSION', data: { changes: { name: doc.name } } }, clock(keys.session('name')));
  if (written(keys.session('tempo_bpm'))) push({ id: '', type: 'UPDATE_SESSION', data: { changes: { tempo_bpm: doc.tempo_bpm } } }, clock(keys.session('tempo_bpm')));
  for (const preset of doc.presets) push({ id: '', type: 'SAVE_PRESET', data: { preset } }, clock(keys.preset(preset.id)));

  for (const track of [...doc.tracks, doc.master]) {
    const element = keys.track(track.id);
    const isMaster = track.id === doc.master.id;
    if (!isMaster) {
      const position = positions[element];
      // The chain travels as ADD_PLUGINs, each with its own order key.
      push({ id: '', type: 'ADD_TRACK', data: { track: { ...track, chain: [] }, ...(position ? { position } : {}) } }, clock(element));
      const moved = clocks[keys.trackField(track.id, POSITION_FIELD)];
      if (moved && position) push({ id: '', type: 'MOVE_TRACK', data: { track_id: track.id, index: 0, position } }, moved);
    }
    for (const field of ['name', 'gain_db', 'pan', 'mute', 'solo', 'source', 'pattern', 'sends'] as const) {
      if (isMaster ? written(keys.trackField(track.id, field)) : clocks[keys.trackField(track.id, field)]) {
        push({ id: '', type: 'UPDATE_TRACK', data: { track_id: track.id, changes: { [field]: track[field] } } }, clock(keys.trackField(track.id, field), element));
      }
    }
    for (const plugin of track.chain) {
      const pElement = keys.plugin(track.id, plugin.id);
      const position = positions[pElement];
      push({ id: '', type: 'ADD_PLUGIN', data: { track_id: track.id, plugin, ...(position ? { position } : {}) } }, clock(pElement, element));
      const ref = { track_id: track.id, plugin_id: plugin.id };
      if (clocks[keys.pluginField(track.id, plugin.id, POSITION_FIELD)] && position) {
        push({ id: '', type: 'MOVE_PLUGIN', data: { ...ref, index: 0, position } }, clock(keys.pluginField(track.id, plugin.id, POSITION_FIELD)));
      }
      if (clocks[keys.pluginField(track.id, plugin.id, 'bypass')]) {
        push({ id: '', type: 'BYPASS_PLUGIN', data: { ...ref, bypass: plugin.bypass } }, clock(keys.pluginField(track.id, plugin.id, 'bypass')));
      }
      for (const [parameter_id, parameter_value] of Object.entries(plugin.params)) {
        const key = keys.param(track.id, plugin.id, parameter_id);
        if (clocks[key]) push({ id: '', type: 'PLUGIN_PARAMETER', data: { ...ref, parameter_id, parameter_value } }, clocks[key]);
      }
    }
  }
  for (const [key, hlc] of Object.entries(tombstones)) {
    const [kind, trackId, pluginId] = key.split(':') as [string, string, string | undefined];
    if (kind === 't') push({ id: '', type: 'REMOVE_TRACK', data: { track_id: trackId } }, hlc);
    else if (kind === 'p' && pluginId) push({ id: '', type: 'REMOVE_PLUGIN', data: { track_id: trackId, plugin_id: pluginId } }, hlc);
  }
  return ops;
}

/**
 * Merges a whole document (published offline) into `target` through its ops.
 * Removals of elements the target never had are skipped, as are superseded
 * ops; any other error stops the merge and leaves `target` unchanged.
 * Answers the merged document and the ops that changed it, to log and fan out.
 */
export function mergeDocument(target: SessionDocument, incoming: SessionDocument, fallback: Hlc): Result<{ doc: SessionDocument; ops: StampedOp[] }> {
  let doc = target;
  const changed: StampedOp[] = [];
  for (const op of documentToOps(incoming, fallback)) {
    const out = apply(doc, op);
    if (out.result.status === 'applied') {
      doc = out.doc;
      changed.push(op);
    } else if (out.result.status === 'error') {
      const isRemoval = op.type === 'REMOVE_TRACK' || op.type === 'REMOVE_PLUGIN';
      if (!isRemoval) return fail(out.result.error);
    }
  }
  return ok({ doc, ops: changed });
}
