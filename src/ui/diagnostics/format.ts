import type { Milliseconds, NormalRange } from '../../protocol/units.ts';

/** "2.4 ms" below 10 ms, "37 ms" above; "—" when there is no figure yet. */
export function formatMs(v: Milliseconds | null): string {
  return v === null ? '—' : `${v.toFixed(v < 10 ? 1 : 0)} ms`;
}

/** "12%" of a 0..1 share. */
export function formatPercent(share: NormalRange): string {
  return `${Math.round(share * 100)}%`;
}
