import type { Track } from '../../protocol/session.ts';

/** "-6.0 dB", "+3.5 dB", "-inf dB" at the bottom of a fader. */
export function formatDb(v: number): string {
  if (v <= -60) return '-inf dB';
  return `${v > 0 ? '+' : ''}${v.toFixed(1)} dB`;
}

/** "C", "L 40", "R 100". */
export function formatPan(v: number): string {
  const p = Math.round(v * 100);
  return p === 0 ? 'C' : p < 0 ? `L ${-p}` : `R ${p}`;
}

/** What feeds a track, in words. */
export function sourceLabel(t: Track): string {
  if (t.chain[0]?.type === 'synth') return 'Synth';
  switch (t.source.kind) {
    case 'file': return t.source.name || 'Audio file';
    case 'input': return 'Live input';
    case 'bus': return 'Bus';
    default: return 'No source';
  }
}
