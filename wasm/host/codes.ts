/**
 * WASM CONTRACT: plugin type codes and source kinds as the engine knows them
 * (mirrors wasm/assembly/layout.ts). Codes are stable: append, never renumber.
 */
export const PLUGIN_CODES: Readonly<Record<string, number>> = {
  gain: 1,
  filter: 2,
  eq: 3,
  compressor: 4,
  delay: 5,
  reverb: 6,
  drive: 7,
  chorus: 8,
  synth: 9,
};

/** Source kinds: what feeds a track before its chain. */
export const SOURCE_CODES = { none: 0, file: 1, input: 2, bus: 3 } as const;
export type SourceKind = keyof typeof SOURCE_CODES;

/** The engine's code for a plugin type; 0 (an inert pass-through) when unknown. */
export function pluginCode(type: string): number {
  return Object.hasOwn(PLUGIN_CODES, type) ? (PLUGIN_CODES[type] as number) : 0;
}

/**
 * WASM CONTRACT: track-level values the engine takes as numbers (the ring's
 * `EventKind.track` index, and the executor's `trackValue`).
 */
export const TrackField = { gainDb: 0, pan: 1, mute: 2 } as const;
export type TrackField = (typeof TrackField)[keyof typeof TrackField];
