/**
 * The engine host: everything needed to run engine.wasm from TypeScript, in
 * Node or an AudioWorkletGlobalScope (no Node, DOM, fetch or timers here).
 */
export { EngineCore } from './engine-core.ts';
export type { PluginSlot, SlotSend, TrackSlot } from './engine-core.ts';
export { EngineGraph } from './engine-graph.ts';
export { CommandExecutor } from './command-executor.ts';
export { directProjection, directSink } from './direct-projection.ts';
export type { EngineLimits, GraphCommand, GraphSink } from './graph-commands.ts';
export { clampParam, engineValue, engineValues, paramIndex } from './param-values.ts';
export { PLUGIN_CODES, SOURCE_CODES, TrackField, pluginCode } from './codes.ts';
export type { SourceKind } from './codes.ts';
export { resample } from './resample.ts';
export { decodeWav, encodeWav, encodeWavFrames, frameBytes, parseWav, readWavFrames, wavHeader } from './wav.ts';
export type { DecodedWav, WavBits, WavData, WavFormat } from './wav.ts';
