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
  const at = Math.min(index ?? sorted.length, sorted.length);
  const before = at > 0 ? sorted[at - 1]!.position : null;
  let after: string | null = null;
  for (let i = at; i < sorted.length; i++) {
    const candidate = sorted[i]!.position;
    if (before === null || candidate > before) {
      after = candidate;
      break;
    }
  }
  return generateKeyBetween(before, after);
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
