/** Pure session logic: apply ops, clocks, validation. No I/O, no DOM. */
export { apply, applyOp, type StampedOp } from './apply.ts';
export type { Applied, ApplyResult } from './outcome.ts';
export { stampOp } from './stamp.ts';
export { HlcClock, compareHlc, formatHlc, parseHlc } from './hlc.ts';
export { createSession, documentToOps, mergeDocument, newerSessionFormat, parseSessionDocument } from './document.ts';
export { resolvePreset } from './presets.ts';
export { checkParam, checkParams } from './validate.ts';
export { findTrack } from './draft.ts';
export { changesOf, compileDocument, type EngineChange, type TrackValueField } from './changes.ts';
export { changeControl, controlChange } from './control-changes.ts';
