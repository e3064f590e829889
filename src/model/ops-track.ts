import { outboardError } from '../protocol/errors.ts';
import type { Hlc } from '../protocol/ids.ts';
import { MASTER_TRACK_ID } from '../protocol/ids.ts';
import { isFaderChange, TrackChangesSchema, type OpData } from '../protocol/ops.ts';
import type { PluginInstance, SessionDocument, Track } from '../protocol/session.ts';
import { TrackSchema } from '../protocol/session.ts';
import { zodToError } from '../protocol/parse.ts';
import { positionOf, positionReader } from './clocks.ts';
import { clockOf, findTrack, purgeMeta, replaceTrack, sortByPositions, takes, withMeta } from './draft.ts';
import { belongsToTrack, keys, POSITION_FIELD } from './keys.ts';
import { initialPositions, insertSorted, positionAt, positionIn } from './order.ts';
import { applied, missingTrack, rejected, removedAgain, superseded, type Applied } from './outcome.ts';
import { buildPlugin, creationClocks } from './plugin-instance.ts';

/** A key that places a new track at `index` of the mixer (clamped to the end); reads only the keys around it. */
export function trackPositionAt(doc: SessionDocument, index: number | undefined): string {
  const position = positionReader(doc.meta);
  return positionIn(doc.tracks.length, (i) => position(keys.track(doc.tracks[i]!.id)) ?? '', index);
}

/** The tracks in order, as `positionAt` wants them. */
export function trackOrder(doc: SessionDocument) {
  const position = positionReader(doc.meta);
  return doc.tracks.map((t) => ({ id: t.id, position: position(keys.track(t.id)) ?? '' }));
}

/** ADD_TRACK: a new track (omitted fields take defaults) at `position` (or `index`). */
export function addTrack(doc: SessionDocument, data: OpData<'ADD_TRACK'>, hlc: Hlc): Applied {
  const id = data.track.id;
  if (id === MASTER_TRACK_ID) {
    return rejected(doc, outboardError('INVALID_MESSAGE', 'the master bus always exists and cannot be added', 'data.track.id'));
  }
  if (doc.meta.tombstones[keys.track(id)]) return superseded(doc, `track "${id}" was removed`);
  if (findTrack(doc, id)) return superseded(doc, `track "${id}" already exists`);
  const parsed = TrackSchema.safeParse({ name: 'Track', ...data.track });
  if (!parsed.success) return rejected(doc, zodToError(parsed.error));
  const chain: PluginInstance[] = [];
  for (const [i, spec] of parsed.data.chain.entries()) {
    if (chain.some((p) => p.id === spec.id)) {
      return rejected(doc, outboardError('INVALID_MESSAGE', `plugin id "${spec.id}" appears twice`, `data.track.chain.${i}.id`));
    }
    const plugin = buildPlugin(spec, `data.track.chain.${i}`);
    if ('code' in plugin) return rejected(doc, plugin);
    chain.push(plugin);
  }
  const track: Track = { ...parsed.data, chain };
  const position = data.position ?? trackPositionAt(doc, data.index);
  const chainPositions = initialPositions(chain.length);
  const meta = withMeta(
    doc.meta,
    { [keys.track(id)]: hlc, ...creationClocks(id, chain, hlc) },
    { [keys.track(id)]: position, ...Object.fromEntries(chain.map((p, i) => [keys.plugin(id, p.id), chainPositions[i]!])) },
  );
  // The mixer is kept sorted, so the new track is inserted where it sorts, not the whole list sorted again.
  const orderKey = positionReader(meta);
  const tracks = insertSorted(doc.tracks, track, (t) => ({ id: t.id, position: orderKey(keys.track(t.id)) ?? '' }));
  return applied({ ...doc, tracks, meta });
}

/** REMOVE_TRACK: the track goes, with everything it held; its tombstone wins over later-arriving edits. */
export function removeTrack(doc: SessionDocument, data: OpData<'REMOVE_TRACK'>, hlc: Hlc): Applied {
  const id = data.track_id;
  if (id === MASTER_TRACK_ID) {
    return rejected(doc, outboardError('INVALID_MESSAGE', 'the master bus cannot be removed', 'data.track_id'));
  }
  if (doc.meta.tombstones[keys.track(id)]) return removedAgain(doc, keys.track(id), hlc);
  if (!findTrack(doc, id)) return missingTrack(doc, id);
  const meta = purgeMeta(doc.meta, (k) => belongsToTrack(k, id), keys.track(id), hlc);
  return applied({ ...doc, tracks: doc.tracks.filter((t) => t.id !== id), meta });
}

/** MOVE_TRACK: the track's place in the mixer is a last-writer-wins register. */
export function moveTrack(doc: SessionDocument, data: OpData<'MOVE_TRACK'>, hlc: Hlc): Applied {
  if (data.track_id === MASTER_TRACK_ID) {
    return rejected(doc, outboardError('INVALID_MESSAGE', 'the master bus has no place among the tracks', 'data.track_id'));
  }
  const track = findTrack(doc, data.track_id);
  if (!track) return missingTrack(doc, data.track_id);
  const element = keys.track(track.id);
  const clockKey = keys.trackField(track.id, POSITION_FIELD);
  const position = data.position ?? positionAt(trackOrder(doc).filter((t) => t.id !== track.id), data.index);
  if (!takes(hlc, clockOf(doc.meta, clockKey, element), positionOf(doc.meta, element), position)) return superseded(doc, 'a later move won');
  const meta = withMeta(doc.meta, { [clockKey]: hlc }, { [element]: position });
  return applied({ ...doc, tracks: sortByPositions(doc.tracks, meta, (t) => keys.track(t.id)), meta });
}

/** UPDATE_TRACK: each changed field is its own last-writer-wins register. */
export function updateTrack(doc: SessionDocument, data: OpData<'UPDATE_TRACK'>, hlc: Hlc): Applied {
  const track = findTrack(doc, data.track_id);
  if (!track) return missingTrack(doc, data.track_id);
  // A fader move (every event of a drag) skips the schema; anything else gets its full check and precise error.
  const changes = isFaderChange(data.changes) ? null : TrackChangesSchema.safeParse(data.changes);
  if (changes && !changes.success) {
    const error = zodToError(changes.error, 'INVALID_PARAMETER');
    return rejected(doc, { ...error, field: `data.changes${error.field ? `.${error.field}` : ''}` });
  }
  if (data.changes.sends?.some((s) => s.target === track.id)) {
    return rejected(doc, outboardError('INVALID_PARAMETER', 'a track cannot send to itself', 'data.changes.sends'));
  }
  const element = keys.track(track.id);
  const next: Record<string, unknown> = { ...track };
  const clocks: Record<string, Hlc> = {};
  for (const [field, value] of Object.entries(data.changes)) {
    if (value === undefined) continue;
    const key = keys.trackField(track.id, field);
    if (!takes(hlc, clockOf(doc.meta, key, element), next[field], value)) continue;
    next[field] = value;
    clocks[key] = hlc;
  }
  if (Object.keys(clocks).length === 0) return superseded(doc, 'later writes won every changed field');
  return applied({ ...replaceTrack(doc, next as Track), meta: withMeta(doc.meta, clocks) });
}
