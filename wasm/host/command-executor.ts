import type { Hertz } from '../../src/protocol/units.ts';
import { TrackField } from './codes.ts';
import type { EngineCore, PluginSlot, TrackSlot } from './engine-core.ts';
import type { GraphCommand } from './graph-commands.ts';
import { resample } from './resample.ts';

/**
 * Runs graph commands (graph-commands.ts) and value writes on an EngineCore:
 * the audio thread's half of the projection in the browser (inside the
 * worklet's message handler), and Node's. It knows slots and codes only,
 * never ids or the document. It also keeps the decoded samples, because a
 * file track may name a sample before its audio arrives.
 */
export class CommandExecutor {
  private readonly samples = new Map<string, Float32Array[]>();
  /** The sample each track slot plays, and the one loaded into it. */
  private readonly wanted: (string | null)[];
  private readonly loaded: (string | null)[];

  constructor(readonly core: EngineCore) {
    this.wanted = new Array<string | null>(core.masterSlot + 1).fill(null);
    this.loaded = new Array<string | null>(core.masterSlot + 1).fill(null);
  }

  /** One structural command. */
  execute(c: GraphCommand): void {
    const core = this.core;
    switch (c.op) {
      case 'tempo': return core.setTempo(c.bpm);
      case 'track-open':
        this.close(c.slot);
        return core.setTrackActive(c.slot, true);
      case 'track-close': return this.close(c.slot);
      case 'source': return core.setTrackSource(c.slot, c.kind);
      case 'sample':
        if (this.loaded[c.slot] !== null) core.clearSample(c.slot);
        this.loaded[c.slot] = null;
        this.wanted[c.slot] = c.sample;
        return this.load(c.slot);
      case 'solo': return core.setTrackSolo(c.slot, c.on);
      case 'pattern': return core.setPattern(c.slot, c.steps);
      case 'sends': return core.setSends(c.slot, c.targets.map((target, i) => ({ target, gainDb: c.gains[i]! })));
      case 'insert':
        core.insertCode(c.slot, c.index, c.code, c.values);
        return;
      case 'remove': return core.removePlugin(c.slot, c.index);
      case 'move': return core.movePlugin(c.slot, c.from, c.to);
      case 'retype': return core.retype(c.slot, c.index, c.code, c.values);
      case 'bypass': return core.setBypass(c.slot, c.index, c.on);
    }
  }

  /** A param value (already clamped, catalog index); real-time safe. */
  param(slot: TrackSlot, plugin: PluginSlot, index: number, value: number): void {
    this.core.setParam(slot, plugin, index, value);
  }

  /** A track's fader, pan or mute; real-time safe. */
  trackValue(slot: TrackSlot, field: number, value: number): void {
    if (field === TrackField.gainDb) this.core.setTrackGain(slot, value);
    else if (field === TrackField.pan) this.core.setTrackPan(slot, value);
    else if (field === TrackField.mute) this.core.setTrackMute(slot, value > 0);
  }

  /**
   * Decoded audio for a file source; resampled to the engine rate and loaded
   * into every track slot that plays `sampleId` (now or later).
   */
  setSample(sampleId: string, channels: readonly Float32Array[], sampleRate: Hertz): void {
    this.samples.set(sampleId, channels.slice(0, 2).map((c) => resample(c, sampleRate, this.core.sampleRate)));
    this.wanted.forEach((id, slot) => {
      if (id === sampleId) this.load(slot);
    });
  }

  private close(slot: TrackSlot): void {
    this.core.resetTrack(slot);
    this.wanted[slot] = null;
    this.loaded[slot] = null;
  }

  private load(slot: TrackSlot): void {
    const id = this.wanted[slot] ?? null;
    const data = id === null ? undefined : this.samples.get(id);
    if (!data || this.loaded[slot] === id) return;
    this.core.loadSample(slot, data);
    this.loaded[slot] = id;
  }
}
