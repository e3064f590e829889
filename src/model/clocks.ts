import type { Hlc } from '../protocol/ids.ts';
import type { Meta } from '../protocol/session.ts';

/**
 * Register clocks shared between successive documents, so that an op writing
 * one register (a fader move) costs O(1), not a copy of every clock.
 *
 * The document stays plain data: `meta.clocks` is still a flat record to
 * every reader (JSON, structured clone, zod, spread, tests). A meta built by
 * {@link metaWith} keeps its clocks as two layers, a flat `base` shared with
 * the documents before it and the few registers written since (`recent`);
 * the model reads them through {@link clockAt}. The flat record is built
 * the first time anything reads `meta.clocks` (saving the document, sending
 * it, merging), not per op, and is then kept as an ordinary data property.
 * Nothing is ever mutated that another document can see, so `apply` stays pure.
 */
interface Layers {
  readonly base: Readonly<Record<string, Hlc>>;
  readonly recent: ReadonlyMap<string, Hlc>;
}

/**
 * Registers written since the base was last flattened. Each op copies the
 * recent layer (bounded by this), and folding it into a new base costs
 * O(clocks) once per this many distinct registers written: a gesture on one
 * control never folds.
 */
const RECENT_MAX = 64;

const layersOf = new WeakMap<Meta, Layers>();

/** The clock of one register, or undefined when it was never written. */
export function clockAt(meta: Meta, key: string): Hlc | undefined {
  const layers = layersOf.get(meta);
  return layers ? (layers.recent.get(key) ?? layers.base[key]) : meta.clocks[key];
}

/** `base` with `recent` written over it, as one new record (key order as successive spreads would give). */
function flatten(layers: Layers): Readonly<Record<string, Hlc>> {
  if (layers.recent.size === 0) return layers.base;
  const flat: Record<string, Hlc> = { ...layers.base };
  for (const [key, hlc] of layers.recent) flat[key] = hlc;
  return flat;
}

/**
 * Replaces the lazy `clocks` accessor by a plain data property holding
 * `clocks`; from then on that record is the meta's clocks (and the base of
 * the next document's).
 */
function settle(meta: Meta, clocks: Readonly<Record<string, Hlc>>): Readonly<Record<string, Hlc>> {
  layersOf.delete(meta);
  Object.defineProperty(meta, 'clocks', { value: clocks, enumerable: true, configurable: true, writable: true });
  return clocks;
}

/**
 * Meta whose clocks are `meta`'s with `clocks` written over them, and the
 * given positions and tombstones; O(`clocks` + {@link RECENT_MAX}) except
 * when the recent layer folds into a new base.
 */
export function metaWith(
  meta: Meta,
  clocks: Readonly<Record<string, Hlc>>,
  positions: Meta['positions'],
  tombstones: Meta['tombstones'],
): Meta {
  const previous = layersOf.get(meta) ?? { base: meta.clocks, recent: new Map<string, Hlc>() };
  const recent = new Map(previous.recent);
  for (const key in clocks) recent.set(key, clocks[key]!);
  const layers: Layers = recent.size > RECENT_MAX ? { base: flatten({ base: previous.base, recent }), recent: new Map() } : { base: previous.base, recent };
  // Own and enumerable, first in key order like a parsed meta's: JSON, structured clone and spread all see a plain record.
  // (A literal's accessors are cheaper than Object.defineProperty on a fresh object.)
  const next: Meta = {
    get clocks() {
      return settle(next, flatten(layers));
    },
    set clocks(value: Record<string, Hlc>) {
      settle(next, value);
    },
    positions,
    tombstones,
  };
  layersOf.set(next, layers);
  return next;
}
