import type { PluginId, TrackId } from '../protocol/ids.ts';
import type { Op } from '../protocol/ops.ts';
import type { Pattern, PluginInstance, SessionDocument, Send, Source, Track } from '../protocol/session.ts';
import type { BeatsPerMinute } from '../protocol/units.ts';
import { applyOp, type StampedOp } from './apply.ts';
import { findTrack } from './draft.ts';

/** Track values that travel through the engine's event ring. */
export type TrackValueField = 'gain_db' | 'pan' | 'mute';

/**
 * What one applied op changed, in the engine's terms: a value to write, or a
 * change to the graph. Ids, not slots: the engine's projection resolves them.
 * Values are the applied document's (a stale op that lost a register yields
 * the value that won, or nothing).
 */
export type EngineChange =
  /** A plugin param, in its own unit. */
  | { readonly kind: 'param'; readonly track: TrackId; readonly plugin: PluginId; readonly param: string; readonly value: number }
  /** A track's fader (dB), pan (-1..1) or mute (0/1). */
  | { readonly kind: 'track-value'; readonly track: TrackId; readonly field: TrackValueField; readonly value: number }
  | { readonly kind: 'solo'; readonly track: TrackId; readonly solo: boolean }
  | { readonly kind: 'source'; readonly track: TrackId; readonly source: Source }
  | { readonly kind: 'pattern'; readonly track: TrackId; readonly pattern: Pattern | null }
  | { readonly kind: 'sends'; readonly track: TrackId; readonly sends: readonly Send[] }
  /** A whole track, as it is now: added, or (in a compiled document) as the engine should hold it. */
  | { readonly kind: 'track'; readonly track: Track }
  | { readonly kind: 'track-removed'; readonly track: TrackId }
  /** A plugin added at `index` of its chain (with its params and bypass). */
  | { readonly kind: 'plugin-added'; readonly track: TrackId; readonly plugin: PluginInstance; readonly index: number }
  | { readonly kind: 'plugin-removed'; readonly track: TrackId; readonly plugin: PluginId }
  /** A plugin now at `index` of its chain. */
  | { readonly kind: 'plugin-moved'; readonly track: TrackId; readonly plugin: PluginId; readonly index: number }
  | { readonly kind: 'bypass'; readonly track: TrackId; readonly plugin: PluginId; readonly bypass: boolean }
  | { readonly kind: 'tempo'; readonly bpm: BeatsPerMinute };

/**
 * A whole document as engine changes: the tempo, then every track (the
 * master bus last) as the engine should hold it. Used on load, resync,
 * snapshot and rollback, so the engine speaks one vocabulary.
 */
export function compileDocument(doc: SessionDocument): EngineChange[] {
  return [{ kind: 'tempo', bpm: doc.tempo_bpm }, ...doc.tracks.map((track) => ({ kind: 'track', track }) as const), { kind: 'track', track: doc.master }];
}

/**
 * The engine changes of an op that `apply` accepted: `prev` is the document
 * it was applied to, `next` the result. Only the entities the op names are
 * read, never the whole document. A BATCH yields its applied sub-ops'
 * changes in order (replayed one by one, so positions are each sub-op's).
 */
export function changesOf(prev: SessionDocument, next: SessionDocument, op: StampedOp): EngineChange[] {
  if (op.type !== 'BATCH') return opChanges(prev, next, op);
  const out: EngineChange[] = [];
  let current = prev;
  for (const sub of op.data.ops) {
    const step = applyOp(current, sub, sub.hlc ?? op.hlc);
    if (step.result.status !== 'applied') continue;
    out.push(...opChanges(current, step.doc, sub));
    current = step.doc;
  }
  return out;
}

function opChanges(prev: SessionDocument, next: SessionDocument, op: Op): EngineChange[] {
  switch (op.type) {
    case 'PLUGIN_PARAMETER':
    case 'LOAD_PRESET':
      return paramChanges(prev, next, op.data.track_id, op.data.plugin_id);
    case 'UPDATE_TRACK':
      return trackChanges(prev, next, op.data.track_id, Object.keys(op.data.changes));
    case 'ADD_TRACK': {
      const track = findTrack(next, op.data.track.id);
      return track && !findTrack(prev, track.id) ? [{ kind: 'track', track }] : [];
    }
    case 'REMOVE_TRACK':
      return findTrack(prev, op.data.track_id) && !findTrack(next, op.data.track_id) ? [{ kind: 'track-removed', track: op.data.track_id }] : [];
    case 'ADD_PLUGIN': {
      const chain = findTrack(next, op.data.track_id)?.chain ?? [];
      const index = chain.findIndex((p) => p.id === op.data.plugin.id);
      const existed = findTrack(prev, op.data.track_id)?.chain.some((p) => p.id === op.data.plugin.id) ?? true;
      return index < 0 || existed ? [] : [{ kind: 'plugin-added', track: op.data.track_id, plugin: chain[index]!, index }];
    }
    case 'REMOVE_PLUGIN': {
      const was = findTrack(prev, op.data.track_id)?.chain.some((p) => p.id === op.data.plugin_id) ?? false;
      return was ? [{ kind: 'plugin-removed', track: op.data.track_id, plugin: op.data.plugin_id }] : [];
    }
    case 'MOVE_PLUGIN': {
      const before = findTrack(prev, op.data.track_id)?.chain.findIndex((p) => p.id === op.data.plugin_id);
      const index = findTrack(next, op.data.track_id)?.chain.findIndex((p) => p.id === op.data.plugin_id) ?? -1;
      return index < 0 || index === before ? [] : [{ kind: 'plugin-moved', track: op.data.track_id, plugin: op.data.plugin_id, index }];
    }
    case 'BYPASS_PLUGIN': {
      const was = findPlugin(prev, op.data.track_id, op.data.plugin_id)?.bypass;
      const now = findPlugin(next, op.data.track_id, op.data.plugin_id)?.bypass;
      return now === undefined || now === was ? [] : [{ kind: 'bypass', track: op.data.track_id, plugin: op.data.plugin_id, bypass: now }];
    }
    case 'UPDATE_SESSION':
      return next.tempo_bpm !== prev.tempo_bpm ? [{ kind: 'tempo', bpm: next.tempo_bpm }] : [];
    case 'MOVE_TRACK': // the engine's slots do not follow the mixer's order
    case 'SAVE_PRESET':
      return [];
  }
}

function findPlugin(doc: SessionDocument, trackId: TrackId, pluginId: PluginId): PluginInstance | undefined {
  return findTrack(doc, trackId)?.chain.find((p) => p.id === pluginId);
}

/** The params of one plugin whose values differ between the two documents. */
function paramChanges(prev: SessionDocument, next: SessionDocument, track: TrackId, plugin: PluginId): EngineChange[] {
  const before = findPlugin(prev, track, plugin)?.params ?? {};
  const after = findPlugin(next, track, plugin)?.params ?? {};
  const out: EngineChange[] = [];
  for (const param in after) {
    const value = after[param]!;
    if (value !== before[param]) out.push({ kind: 'param', track, plugin, param, value });
  }
  return out;
}

/** The named fields of one track that differ between the two documents. */
function trackChanges(prev: SessionDocument, next: SessionDocument, id: TrackId, fields: readonly string[]): EngineChange[] {
  const a = findTrack(prev, id);
  const b = findTrack(next, id);
  if (!a || !b) return [];
  const out: EngineChange[] = [];
  for (const field of fields) {
    switch (field) {
      case 'gain_db':
      case 'pan':
        if (a[field] !== b[field]) out.push({ kind: 'track-value', track: id, field, value: b[field] });
        break;
      case 'mute':
        if (a.mute !== b.mute) out.push({ kind: 'track-value', track: id, field, value: b.mute ? 1 : 0 });
        break;
      case 'solo':
        if (a.solo !== b.solo) out.push({ kind: 'solo', track: id, solo: b.solo });
        break;
      case 'source':
        if (a.source !== b.source) out.push({ kind: 'source', track: id, source: b.source });
        break;
      case 'pattern':
        if (a.pattern !== b.pattern) out.push({ kind: 'pattern', track: id, pattern: b.pattern });
        break;
      case 'sends':
        if (a.sends !== b.sends) out.push({ kind: 'sends', track: id, sends: b.sends });
        break;
      default:
        break; // the name: nothing the engine holds
    }
  }
  return out;
}
