import { EngineCore } from '../wasm/host/engine-core.ts';
import { SessionGraph } from '../wasm/host/session-graph.ts';
import type { SessionDocument } from '../src/protocol/session.ts';
import { getPlugin } from '../src/plugins/index.ts';
import type { DspHost } from './dsp-host.ts';
import type { SlotMap } from './shared/rpc.ts';
import { TrackParam } from './shared/event-keys.ts';

/**
 * Instantiates engine.wasm (from a compiled module: synchronous; from bytes:
 * compiled here) and wraps EngineCore + SessionGraph as the processor's DspHost.
 */
export async function createDspHost(source: WebAssembly.Module | ArrayBuffer, sampleRate: number): Promise<DspHost> {
  const core = source instanceof WebAssembly.Module
    ? EngineCore.fromModule(source, sampleRate)
    : await EngineCore.fromBytes(source, sampleRate);
  return new CoreHost(core);
}

/** DspHost over EngineCore; the per-quantum methods forward without allocating. */
class CoreHost implements DspHost {
  readonly blockFrames: number;
  readonly masterSlot: number;
  private readonly core: EngineCore;
  private readonly graph: SessionGraph;

  constructor(core: EngineCore) {
    this.core = core;
    this.graph = new SessionGraph(core);
    this.blockFrames = core.blockSize;
    this.masterSlot = core.masterSlot;
  }

  process(): void { this.core.process(); }
  output(channel: 0 | 1): Float32Array { return this.core.output[channel]; }
  input(channel: 0 | 1): Float32Array { return this.core.input[channel]; }
  meters(): Float32Array { return this.core.meters; }
  setParam(t: number, p: number, i: number, v: number): void { this.core.setParam(t, p, i, v); }

  setTrackParam(t: number, field: number, v: number): void {
    if (field === TrackParam.gainDb) this.core.setTrackGain(t, v);
    else if (field === TrackParam.pan) this.core.setTrackPan(t, v);
    else if (field === TrackParam.mute) this.core.setTrackMute(t, v > 0);
  }

  noteOn(t: number, note: number, velocity: number): void { this.core.noteOn(t, note, velocity); }
  noteOff(t: number, note: number): void { this.core.noteOff(t, note); }

  setPlaying(playing: boolean): void {
    if (playing === this.core.playing) return;
    if (playing) this.core.play();
    else this.core.stop();
  }

  applyDocument(doc: SessionDocument): SlotMap {
    this.graph.setDocument(doc);
    this.rewriteValues(doc);
    const tracks: Record<string, number> = {};
    const plugins: Record<string, number> = {};
    for (const t of [...doc.tracks, doc.master]) {
      const slot = this.graph.slotOf(t.id);
      if (slot === undefined) continue;
      tracks[t.id] = slot;
      // SessionGraph keeps each chain in document order: a plugin's slot is its index.
      t.chain.forEach((p, i) => (plugins[p.id] = i));
    }
    return { tracks, plugins };
  }

  setSample(sampleId: string, channels: Float32Array[], sampleRate: number): void {
    this.graph.setSample(sampleId, channels, sampleRate);
  }

  /**
   * Ring writes reach EngineCore directly, behind SessionGraph's back, so its
   * record of what the engine holds can be stale: a knob turned to 5 through
   * the ring and back to 0 in the same update as a structural change would
   * look unchanged to it. After every structural update, every value is
   * written again from the document (equal targets are no-ops in the engine).
   */
  private rewriteValues(doc: SessionDocument): void {
    for (const t of [...doc.tracks, doc.master]) {
      const slot = this.graph.slotOf(t.id);
      if (slot === undefined) continue;
      this.core.setTrackGain(slot, t.gain_db);
      this.core.setTrackPan(slot, t.pan);
      this.core.setTrackMute(slot, t.mute);
      t.chain.forEach((p, i) => {
        getPlugin(p.type)?.params.forEach((d, k) => {
          const v = p.params[d.id];
          if (v !== undefined) this.core.setParam(slot, i, k, v);
        });
      });
    }
  }
}
