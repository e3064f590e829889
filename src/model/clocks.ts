import type { Hlc } from '../protocol/ids.ts';
import type { Meta } from '../protocol/session.ts';

/**
 * Register clocks and list positions shared between successive documents, so
 * that an op writing one register (a fader move) or placing one element (a
 * track, a plugin) costs O(1), not a copy of every clock or position. Without
 * it, publishing a mixer of 2,000 tracks copied every position once per track
 * and plugin, and held the relay's event loop for seconds.
 *
 * The document stays plain data: `meta.clocks` and `meta.positions` are still
 * flat records to every reader (JSON, structured clone, zod, spread, tests). A
 * meta built by {@link metaWith} keeps each as two layers, a flat `base` shared
 * with the documents before it and the few entries written since (`recent`);
 * the model reads them through {@link clockAt} and {@link positionOf}. The flat
 * record is built the first time anything reads the field as a whole (saving
 * the document, sending it, merging), not per op, and is then kept as an
 * ordinary data property. Nothing is ever mutated that another document can
 * see, so `apply` stays pure.
 */
interface Layers {
  readonly base: Readonly<Record<string, string>>;
  readonly recent: ReadonlyMap<string, string>;
  /** The flat record, once built: every meta sharing these layers reads the same object. */
  flat?: Readonly<Record<string, string>>;
}

/**
 * Entries written since the base was last flattened. Each op that writes
 * copies the recent layer (bounded by this), and folding it into a new base
 * costs O(entries) once per this many distinct entries written: a gesture on
 * one control never folds.
 */
const RECENT_MAX = 64;

type Field = 'clocks' | 'positions';
const layersOf: Record<Field, WeakMap<Meta, Layers>> = { clocks: new WeakMap(), positions: new WeakMap() };

function entryAt(meta: Meta, field: Field, key: string): string | undefined {
  const layers = layersOf[field].get(meta);
  return layers ? (layers.recent.get(key) ?? layers.base[key]) : meta[field][key];
}

/** The clock of one register, or undefined when it was never written. */
export function clockAt(meta: Meta, key: string): Hlc | undefined {
  return entryAt(meta, 'clocks', key);
}

/** The order key of one list element (`keys.track`/`keys.plugin`), or undefined when it has none. */
export function positionOf(meta: Meta, key: string): string | undefined {
  return entryAt(meta, 'positions', key);
}

/** {@link positionOf} for many elements of one meta (a whole list): its layers are looked up once, not per element. */
export function positionReader(meta: Meta): (key: string) => string | undefined {
  const layers = layersOf.positions.get(meta);
  if (!layers) {
    const positions = meta.positions;
    return (key) => positions[key];
  }
  const { base, recent } = layers;
  return (key) => recent.get(key) ?? base[key];
}

/** `base` with `recent` written over it, as one record (key order as successive spreads would give), built once per layers. */
function flatten(layers: Layers): Readonly<Record<string, string>> {
  if (layers.recent.size === 0) return layers.base;
  if (layers.flat) return layers.flat;
  const flat: Record<string, string> = { ...layers.base };
  for (const [key, value] of layers.recent) flat[key] = value;
  layers.flat = flat;
  return flat;
}

/** `meta`'s layers of `field` with `writes` over them; the same layers when nothing is written. */
function advance(meta: Meta, field: Field, writes: Readonly<Record<string, string>>): Layers {
  const previous = layersOf[field].get(meta) ?? { base: meta[field], recent: new Map<string, string>() };
  let recent: Map<string, string> | undefined;
  for (const key in writes) (recent ??= new Map(previous.recent)).set(key, writes[key]!);
  if (!recent) return previous;
  return recent.size > RECENT_MAX ? { base: flatten({ base: previous.base, recent }), recent: new Map() } : { base: previous.base, recent };
}

/**
 * Replaces the lazy accessor of `field` by a plain data property holding
 * `value`; from then on that record is the meta's (and the base of the next
 * document's).
 */
function settle(meta: Meta, field: Field, value: Readonly<Record<string, string>>): Readonly<Record<string, string>> {
  layersOf[field].delete(meta);
  Object.defineProperty(meta, field, { value, enumerable: true, configurable: true, writable: true });
  return value;
}

/**
 * Meta whose clocks and positions are `meta`'s with `clocks` and `positions`
 * written over them, and the given tombstones; O(entries written +
 * {@link RECENT_MAX}) except when a recent layer folds into a new base.
 */
export function metaWith(
  meta: Meta,
  clocks: Readonly<Record<string, Hlc>>,
  positions: Readonly<Record<string, string>>,
  tombstones: Meta['tombstones'],
): Meta {
  const clockLayers = advance(meta, 'clocks', clocks);
  const positionLayers = advance(meta, 'positions', positions);
  // Own and enumerable, first in key order like a parsed meta's: JSON, structured clone and spread all see plain records.
  // (A literal's accessors are cheaper than Object.defineProperty on a fresh object.)
  const next: Meta = {
    get clocks() {
      return settle(next, 'clocks', flatten(clockLayers));
    },
    set clocks(value: Record<string, Hlc>) {
      settle(next, 'clocks', value);
    },
    get positions() {
      return settle(next, 'positions', flatten(positionLayers));
    },
    set positions(value: Record<string, string>) {
      settle(next, 'positions', value);
    },
    tombstones,
  };
  layersOf.clocks.set(next, clockLayers);
  layersOf.positions.set(next, positionLayers);
  return next;
}
