import type { BeatsPerMinute, Decibels, MidiNote } from '../../src/protocol/units.ts';
import type { PluginSlot, TrackSlot } from './engine-core.ts';
import type { TrackField } from './codes.ts';

/**
 * REAL-TIME BOUNDARY: the graph commands the main thread's `EngineGraph`
 * sends to the engine, and the only way the engine's structure changes.
 * In the browser they travel as structured clones through comlink over the
 * AudioWorkletNode's port and run in the worklet's message handler, between
 * render quanta (where allocating is allowed); in Node they run directly.
 *
 * Commands carry engine addresses only: track slots, chain positions, plugin
 * kind codes (`codes.ts`), values as numbers already clamped and in catalog
 * order (`param-values.ts`). No session ids and never the document; the one
 * string is a sample id, the key of audio data the engine was handed.
 * Commands run in the order sent; a plugin's initial values ride inside its
 * insert, so no value can land before the plugin it is for.
 */
export type GraphCommand =
  | { readonly op: 'tempo'; readonly bpm: BeatsPerMinute }
  /** Empties a track slot and starts using it. */
  | { readonly op: 'track-open'; readonly slot: TrackSlot }
  /** Empties a track slot and stops using it. */
  | { readonly op: 'track-close'; readonly slot: TrackSlot }
  /** A `SOURCE_CODES` value. */
  | { readonly op: 'source'; readonly slot: TrackSlot; readonly kind: number }
  /** The sample a file source plays (null: none); loaded when (or as soon as) the engine has it. */
  | { readonly op: 'sample'; readonly slot: TrackSlot; readonly sample: string | null }
  | { readonly op: 'solo'; readonly slot: TrackSlot; readonly on: boolean }
  /** 16 steps, MIDI note or -1 for a rest. */
  | { readonly op: 'pattern'; readonly slot: TrackSlot; readonly steps: readonly MidiNote[] }
  /** Post-fader sends to bus track slots. */
  | { readonly op: 'sends'; readonly slot: TrackSlot; readonly targets: readonly TrackSlot[]; readonly gains: readonly Decibels[] }
  /** A plugin of kind `code` at chain position `index`, with every param's value (catalog order). */
  | { readonly op: 'insert'; readonly slot: TrackSlot; readonly index: PluginSlot; readonly code: number; readonly values: readonly number[] }
  | { readonly op: 'remove'; readonly slot: TrackSlot; readonly index: PluginSlot }
  /** Moves a plugin with its state (tails survive). */
  | { readonly op: 'move'; readonly slot: TrackSlot; readonly from: PluginSlot; readonly to: PluginSlot }
  /** Replaces the plugin at `index` with a fresh one of kind `code`. */
  | { readonly op: 'retype'; readonly slot: TrackSlot; readonly index: PluginSlot; readonly code: number; readonly values: readonly number[] }
  | { readonly op: 'bypass'; readonly slot: TrackSlot; readonly index: PluginSlot; readonly on: boolean };

/**
 * Where `EngineGraph` sends its output: values (the event ring's business in
 * the browser: smoothed by the engine, applied at the next quantum) and
 * graph commands, in one order.
 */
export interface GraphSink {
  /** Param `index` (catalog order) of the plugin at `plugin` in track `slot`'s chain; clamped already. */
  param(slot: TrackSlot, plugin: PluginSlot, index: number, value: number): void;
  /** A track's fader (dB), pan (-1..1) or mute (0/1). */
  trackValue(slot: TrackSlot, field: TrackField, value: number): void;
  command(command: GraphCommand): void;
}

/** The engine's capacity, as the graph owner needs it to assign slots. */
export interface EngineLimits {
  readonly maxTracks: number;
  readonly masterSlot: TrackSlot;
  readonly maxPlugins: number;
  readonly maxSends: number;
}
