import type { Hlc, TrackId } from '../protocol/ids.ts';
import { MASTER_TRACK_ID } from '../protocol/ids.ts';
import type { Meta, PluginInstance, SessionDocument, Track } from '../protocol/session.ts';
import { clockAt, metaWith, positionReader } from './clocks.ts';
import { keys } from './keys.ts';
import { byPosition } from './order.ts';

/**
 * Immutable-update helpers for the document. Every op handler builds the next
 * document from these, sharing untouched parts with the previous one.
 */

/** A track by id; `master` is the master bus. */
export function findTrack(doc: SessionDocument, trackId: TrackId): Track | undefined {
  return trackId === MASTER_TRACK_ID ? doc.master : doc.tracks.find((t) => t.id === trackId);
}

/** Replaces one track (or the master bus) with `next`. */
export function replaceTrack(doc: SessionDocument, next: Track): SessionDocument {
  if (next.id === MASTER_TRACK_ID) return { ...doc, master: { ...next, id: MASTER_TRACK_ID } };
  // One array of track pointers is the only copy: every other track object is shared.
  const i = doc.tracks.findIndex((t) => t.id === next.id);
  if (i < 0) return doc;
  const tracks = doc.tracks.slice();
  tracks[i] = next;
  return { ...doc, tracks };
}

/** The register's clock: its own write, else its element's creation, else the beginning of time. */
export function clockOf(meta: Meta, key: string, elementKey?: string): Hlc {
  return clockAt(meta, key) ?? (elementKey ? clockAt(meta, elementKey) : undefined) ?? '';
}

/** Last writer wins: a write takes the register when its stamp is not older. */
function wins(hlc: Hlc, current: Hlc): boolean {
  return hlc >= current;
}

/**
 * Whether a write changes the register: it wins, and it is not the same write
 * again (a re-delivered op). Writes sharing one stamp (inside a BATCH) apply in order.
 */
export function takes(hlc: Hlc, clock: Hlc, value: unknown, next: unknown): boolean {
  if (!wins(hlc, clock)) return false;
  return hlc !== clock || JSON.stringify(value) !== JSON.stringify(next);
}

/** Meta with some clocks and positions set; both are shared, not copied (see clocks.ts). */
export function withMeta(meta: Meta, clocks: Record<string, Hlc>, positions: Record<string, string> = {}): Meta {
  return metaWith(meta, clocks, positions, meta.tombstones);
}

/** Meta without the keys of a removed element, plus its tombstone. */
export function purgeMeta(meta: Meta, belongs: (key: string) => boolean, tombstone: string, hlc: Hlc): Meta {
  const keep = <T>(record: Record<string, T>) =>
    Object.fromEntries(Object.entries(record).filter(([k]) => !belongs(k) && k !== tombstone)) as Record<string, T>;
  return { clocks: keep(meta.clocks), positions: keep(meta.positions), tombstones: { ...keep(meta.tombstones), [tombstone]: hlc } };
}

/** Sorts elements by their position key in `meta` (then id). */
export function sortByPositions<T extends { id: string }>(items: readonly T[], meta: Meta, key: (item: T) => string): T[] {
  const positionOf = positionReader(meta);
  return items
    .map((item) => ({ item, id: item.id, position: positionOf(key(item)) ?? '' }))
    .sort(byPosition)
    .map((e) => e.item);
}

/** The ordered view of a chain, for computing a new position. */
export function chainOrder(meta: Meta, trackId: TrackId, chain: readonly PluginInstance[]) {
  const positionOf = positionReader(meta);
  return chain.map((p) => ({ id: p.id, position: positionOf(keys.plugin(trackId, p.id)) ?? '' }));
}
