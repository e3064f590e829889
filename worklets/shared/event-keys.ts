import { TrackField } from '../../wasm/host/codes.ts';

/**
 * Keys of the records in the UI -> audio ring (`param-ring.ts`): one u32
 * says what the record's f32 value is for.
 *
 * | bits   | field                                            |
 * |--------|--------------------------------------------------|
 * | 28..31 | kind (`EventKind`)                               |
 * | 20..27 | engine track slot (0..255)                       |
 * | 12..19 | plugin slot within the track's chain (0..255)    |
 * | 0..11  | param index in the plugin's descriptor, or note  |
 *
 * WASM CONTRACT: track and plugin slots are the ones the main thread's
 * `EngineGraph` (wasm/host/engine-graph.ts) assigned and sent as graph
 * commands; param indices are catalog order (wasm/host/param-values.ts).
 */
export const EventKind = {
  /** value: the param's new value in its own unit. */
  param: 0,
  /** value: velocity 0..1; index: MIDI note. */
  noteOn: 1,
  /** index: MIDI note. */
  noteOff: 2,
  /** value: 1 play, 0 stop. Slots unused. */
  transport: 3,
  /** value unused; the consumer publishes the stamp's latency (probe for tests and diagnostics). */
  probe: 4,
  /** value: the track-level param's new value; index: a `TrackParam`. */
  track: 5,
  /** value: the transport's position in seconds from its start (a host joining a session that plays). Slots unused. */
  seek: 6,
} as const;
export type EventKind = (typeof EventKind)[keyof typeof EventKind];

/** Track-level params addressed by `EventKind.track` records (the engine's `TrackField` codes). */
export const TrackParam = TrackField;
export type TrackParam = TrackField;

/** Packs a ring key. */
export function eventKey(kind: EventKind, trackSlot: number, pluginSlot: number, index: number): number {
  return (((kind & 0xf) << 28) | ((trackSlot & 0xff) << 20) | ((pluginSlot & 0xff) << 12) | (index & 0xfff)) >>> 0;
}

/** The kind field of a key. */
export const keyKind = (key: number): number => key >>> 28;
/** The track slot field of a key. */
export const keyTrack = (key: number): number => (key >>> 20) & 0xff;
/** The plugin slot field of a key. */
export const keyPlugin = (key: number): number => (key >>> 12) & 0xff;
/** The param index (or note) field of a key. */
export const keyIndex = (key: number): number => key & 0xfff;
