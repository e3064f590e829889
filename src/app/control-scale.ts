/**
 * Value <-> position mapping for controls (on-screen sliders and MIDI knobs
 * alike). Positions are 0..1 along the
 * control's travel; values are in the param's own unit.
 * - `linear`: evenly spread.
 * - `log`: where the ear is logarithmic (frequency, time); needs min > 0.
 * - `fader`: gain faders; more travel around 0 dB and less near -inf.
 */
export const SCALES = ['linear', 'log', 'fader'] as const;
export type Scale = (typeof SCALES)[number];

/** What a control needs to know about its range. */
export interface Range {
  readonly min: number;
  readonly max: number;
  readonly scale: Scale;
  readonly step?: number | undefined;
}

const clamp01 = (x: number) => Math.min(1, Math.max(0, x));

/** Position (0..1) of a value. */
export function toPosition(r: Range, value: number): number {
  const v = Math.min(r.max, Math.max(r.min, value));
  if (r.max === r.min) return 0;
  if (r.scale === 'log' && r.min > 0) return clamp01(Math.log(v / r.min) / Math.log(r.max / r.min));
  const x = (v - r.min) / (r.max - r.min);
  return clamp01(r.scale === 'fader' ? x * x : x);
}

/** Value at a position (0..1), snapped to the range's step when it has one. */
export function fromPosition(r: Range, position: number): number {
  const p = clamp01(position);
  let v: number;
  if (r.scale === 'log' && r.min > 0) v = r.min * Math.pow(r.max / r.min, p);
  else v = r.min + (r.scale === 'fader' ? Math.sqrt(p) : p) * (r.max - r.min);
  return snap(r, v);
}

/** Clamps to the range and snaps to its step; keeps 6 significant digits so values stay tidy on the wire. */
export function snap(r: Range, value: number): number {
  let v = Math.min(r.max, Math.max(r.min, value));
  if (r.step) v = r.min + Math.round((v - r.min) / r.step) * r.step;
  return Number(Math.min(r.max, Math.max(r.min, v)).toPrecision(6));
}
