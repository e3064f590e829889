import { generateKeyBetween } from 'fractional-indexing';

/**
 * List order as fractional keys: each element holds a key, lists sort by
 * (key, id). An op's integer `index` is turned into a key once, by whoever
 * stamps the op, so every replica places the element the same way whatever
 * order the ops arrive in.
 */
export interface Ordered {
  readonly id: string;
  readonly position: string;
}

/** Sorts by position, then id (concurrent inserts at one spot get equal keys). */
export function byPosition(a: Ordered, b: Ordered): number {
  if (a.position !== b.position) return a.position < b.position ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/**
 * A key that places a new element at `index` of `sorted` (clamped to the end).
 * Equal neighbouring keys (from concurrent inserts) are stepped over.
 */
export function positionAt(sorted: readonly Ordered[], index: number | undefined): string {
  return positionIn(sorted.length, (i) => sorted[i]!.position, index);
}

/**
 * {@link positionAt} for a sorted list of `length` read through `positionOf(i)`:
 * only the elements around `index` are read, so placing one track in a mixer
 * of thousands does not read every track's key.
 */
export function positionIn(length: number, positionOf: (i: number) => string, index: number | undefined): string {
  const at = Math.min(index ?? length, length);
  const before = at > 0 ? positionOf(at - 1) : null;
  let after: string | null = null;
  for (let i = at; i < length; i++) {
    const candidate = positionOf(i);
    if (before === null || candidate > before) {
      after = candidate;
      break;
    }
  }
  return generateKeyBetween(before, after);
}

/**
 * `item` placed into `sorted` (ordered by {@link byPosition}) where it sorts, found by binary search: what
 * sorting the list with it would give, reading O(log n) keys rather than all of them.
 */
export function insertSorted<T>(sorted: readonly T[], item: T, orderOf: (item: T) => Ordered): T[] {
  const key = orderOf(item);
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (byPosition(orderOf(sorted[mid]!), key) <= 0) lo = mid + 1;
    else hi = mid;
  }
  // A copy and one splice (a memmove): spreading two slices walks both through the iterator protocol.
  const out = sorted.slice();
  out.splice(lo, 0, item);
  return out;
}

/** Keys for `count` elements in their current order (for documents written without keys). */
export function initialPositions(count: number): string[] {
  const out: string[] = [];
  let previous: string | null = null;
  for (let i = 0; i < count; i++) {
    previous = generateKeyBetween(previous, null);
    out.push(previous);
  }
  return out;
}
