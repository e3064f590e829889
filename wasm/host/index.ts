/**
 * The engine host: everything needed to run engine.wasm from TypeScript, in
 * Node or an AudioWorkletGlobalScope (no Node, DOM, fetch or timers here).
 */
export { EngineCore, clampParam } from './engine-core.ts';
export type { PluginSlot, SlotSend, TrackSlot } from './engine-core.ts';
export { SessionGraph } from './session-graph.ts';
export type { SlotLevel } from './session-graph.ts';
export { PLUGIN_CODES, SOURCE_CODES, pluginCode } from './codes.ts';
export type { SourceKind } from './codes.ts';
export { resampleLinear } from './resample.ts';
export { decodeWav, encodeWav, encodeWavFrames, frameBytes, wavHeader } from './wav.ts';
export type { DecodedWav, WavBits, WavFormat } from './wav.ts';
