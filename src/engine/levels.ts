import type { TrackLevel } from './types.ts';
import type { Decibels } from '../protocol/units.ts';
import { MASTER_TRACK_ID } from '../protocol/ids.ts';
import { MASTER_SLOT, type MeterBlock } from '../../worklets/shared/meter-block.ts';
import type { EngineGraph } from '../../wasm/host/engine-graph.ts';

/** The floor meters show for silence. */
export const SILENCE_DB: Decibels = -120;

/** Linear amplitude to dBFS, floored at `SILENCE_DB`. */
export function toDbfs(linear: number): Decibels {
  return linear > 1e-6 ? Math.max(SILENCE_DB, 20 * Math.log10(linear)) : SILENCE_DB;
}

/**
 * Reads the status block into levels per track id (and `master`). Called on
 * requestAnimationFrame; the block is the worklet's SharedArrayBuffer, or the
 * latest copy that came over the port.
 */
export function readLevels(block: MeterBlock, graph: EngineGraph | undefined): Map<string, TrackLevel> {
  const out = new Map<string, TrackLevel>();
  const level = (slot: number): TrackLevel => ({ peak: toDbfs(block.peak(slot)), rms: toDbfs(block.rms(slot)) });
  graph?.forEachSlot((id, slot) => {
    if (id !== MASTER_TRACK_ID) out.set(id, level(slot));
  });
  out.set(MASTER_TRACK_ID, level(MASTER_SLOT));
  return out;
}
