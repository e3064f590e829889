import { EngineCore } from '../wasm/host/engine-core.ts';
import type { SessionDocument, Track } from '../src/protocol/session.ts';
import { DEFAULT_PATTERN } from '../src/plugins/pattern.ts';
import type { DspHost } from './dsp-host.ts';
import type { SlotMap } from './shared/rpc.ts';
import { TrackParam } from './shared/event-keys.ts';

/**
 * Instantiates engine.wasm (from a compiled module: synchronous; from bytes:
 * compiled here) and wraps EngineCore as the processor's DspHost.
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
  private slots: SlotMap = { tracks: {}, plugins: {} };
  private readonly samples = new Map<string, Float32Array[]>();
  private doc: SessionDocument | undefined;

  constructor(core: EngineCore) {
    this.core = core;
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
    this.doc = doc;
    this.slots = project(this.core, doc, this.samples);
    return this.slots;
  }

  setSample(sampleId: string, channels: Float32Array[], _sampleRate: number): void {
    this.samples.set(sampleId, channels);
    if (this.doc) this.applyDocument(this.doc);
  }
}

/**
 * PROVISIONAL full projection of a document onto the engine (rebuilds every
 * slot), used until wasm/host/session-graph.ts is available.
 */
function project(core: EngineCore, doc: SessionDocument, samples: Map<string, Float32Array[]>): SlotMap {
  const tracks: Record<string, number> = {};
  const plugins: Record<string, number> = {};
  doc.tracks.slice(0, core.maxTracks).forEach((t, i) => (tracks[t.id] = i));
  tracks[doc.master.id] = core.masterSlot;
  for (let s = 0; s < core.maxTracks; s++) core.resetTrack(s);
  core.resetTrack(core.masterSlot);
  core.setTempo(doc.tempo_bpm);
  const load = (t: Track, slot: number): void => {
    core.setTrackActive(slot, true);
    core.setTrackSource(slot, t.source.kind);
    core.setTrackGain(slot, t.gain_db);
    core.setTrackPan(slot, t.pan);
    core.setTrackMute(slot, t.mute);
    core.setTrackSolo(slot, t.solo);
    t.chain.forEach((p, i) => {
      core.insertPlugin(slot, i, p.type, p.params);
      if (p.bypass) core.setBypass(slot, i, true);
      plugins[p.id] = i;
    });
    core.setPattern(slot, (t.pattern ?? DEFAULT_PATTERN).steps);
    core.setSends(slot, t.sends.flatMap((s) => (tracks[s.target] === undefined ? [] : [{ target: tracks[s.target]!, gainDb: s.gain_db }])));
    if (t.source.kind === 'file') {
      const data = samples.get(t.source.sample_id);
      if (data) core.loadSample(slot, data);
    }
  };
  doc.tracks.slice(0, core.maxTracks).forEach((t, i) => load(t, i));
  load(doc.master, core.masterSlot);
  return { tracks, plugins };
}
