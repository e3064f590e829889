import { defaultParams, getPlugin } from '../plugins/index.ts';
import { newId } from '../protocol/ids.ts';
import type { Op, OpData } from '../protocol/ops.ts';
import type { Preset } from '../protocol/plugin.ts';
import type { Source, Track } from '../protocol/session.ts';

/** What kind of track the "Add track" menu makes. */
export const TRACK_KINDS = ['synth', 'audio', 'input'] as const;
export type TrackKind = (typeof TRACK_KINDS)[number];

const opId = () => newId('op');

/** One UI op (unstamped); the controller stamps and applies it. */
export function op<T extends Op['type']>(type: T, data: OpData<T>): Op {
  return { id: opId(), type, data } as Op;
}

/** A full track with defaults (every field present, so the op is the same on every replica). */
export function newTrack(name: string, source: Source = { kind: 'none' }): Track {
  return { id: newId('trk'), name, source, gain_db: 0, pan: 0, mute: false, solo: false, chain: [], pattern: null, sends: [] };
}

/** ADD_PLUGIN with the catalog's defaults. */
export function addPluginOp(trackId: string, type: string, index?: number): Op {
  const desc = getPlugin(type);
  const plugin = { id: newId('plg'), type, bypass: false, params: desc ? defaultParams(desc) : {} };
  return op('ADD_PLUGIN', index === undefined ? { track_id: trackId, plugin } : { track_id: trackId, plugin, index });
}

/** The ops that add a track of a kind: a synth track gets a synth at the head of its chain. */
export function addTrackOps(kind: TrackKind, name: string): { trackId: string; ops: Op[] } {
  const source: Source = kind === 'input' ? { kind: 'input' } : { kind: 'none' };
  const track = newTrack(name, source);
  const ops: Op[] = [op('ADD_TRACK', { track })];
  if (kind === 'synth') ops.push(addPluginOp(track.id, 'synth'));
  return { trackId: track.id, ops };
}

/**
 * Undoes a track's removal: the same track (name, source, levels, pattern,
 * sends, chain with its values) added back at `index`. Fresh ids, because a
 * removal wins over later edits of what it removed on every replica.
 * Answers the op, the restored track's (new) id, and each old id (the track's
 * and its plugins') with its new one, so what addressed them (MIDI mappings) can follow.
 */
export function restoreTrackOp(removed: Track, index: number): { trackId: string; op: Op; ids: ReadonlyMap<string, string> } {
  const trackId = newId('trk');
  const ids = new Map([[removed.id, trackId]]);
  const chain = removed.chain.map((p) => {
    const id = newId('plg');
    ids.set(p.id, id);
    return { id, type: p.type, bypass: p.bypass, params: { ...p.params } };
  });
  return { trackId, ids, op: op('ADD_TRACK', { track: { ...removed, id: trackId, chain }, index }) };
}

/** A BATCH of several ops (one message, applied in order). */
export function batch(ops: Op[]): { id: string; type: 'BATCH'; data: { ops: Op[] } } {
  return { id: opId(), type: 'BATCH', data: { ops } };
}

/** SAVE_PRESET for a user preset. */
export function savePresetOp(preset: Preset): Op {
  return op('SAVE_PRESET', { preset });
}

/** Moves a track to `index` among the other tracks; concurrent edits to it are kept. */
export function moveTrackOp(trackId: string, index: number): Op {
  return op('MOVE_TRACK', { track_id: trackId, index });
}
