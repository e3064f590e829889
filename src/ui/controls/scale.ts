/**
 * The control unit each typed suffix belongs to ("k" is a multiplier, not a
 * unit). A suffix of another unit is refused: "500 Hz" typed on a delay time
 * is not 500 ms.
 */
const SUFFIX_UNIT: Readonly<Record<string, string>> = { khz: 'Hz', hz: 'Hz', db: 'dB', ms: 'ms', s: 'ms', '%': '%', x: 'x', ':1': 'ratio' };

/**
 * Parses what a musician types: "440", "2k", "2.5 kHz", "-6 dB", "1.2 s" (for
 * ms params), "4:1", or a choice name. Answers undefined when unreadable or
 * when the suffix names another unit than the control's.
 */
export function parseTyped(text: string, unit: string, choices?: readonly string[]): number | undefined {
  const t = text.trim().toLowerCase();
  if (choices) {
    const i = choices.findIndex((c) => c.toLowerCase() === t);
    if (i >= 0) return i;
  }
  const m = /^([-+]?\d*\.?\d+(?:e[-+]?\d+)?)\s*(k|khz|hz|db|ms|s|%|x|:1)?$/.exec(t.replace(/\s+/g, ' '));
  if (!m || m[1] === undefined) return undefined;
  let v = Number(m[1]);
  const suffix = m[2];
  if (suffix !== undefined && suffix !== 'k' && SUFFIX_UNIT[suffix] !== unit) return undefined;
  if (suffix === 'k' || suffix === 'khz') v *= 1000;
  if (suffix === 's' && unit === 'ms') v *= 1000;
  return Number.isFinite(v) ? v : undefined;
}
