import { DEFAULT_PATTERN, getPlugin } from '../../src/plugins/index.ts';
import type { PluginInstance, SessionDocument, Track } from '../../src/protocol/session.ts';
import type { Decibels, Hertz, MidiNote } from '../../src/protocol/units.ts';
import type { EngineCore, TrackSlot } from './engine-core.ts';
import { clampParam } from './engine-core.ts';
import { resampleLinear } from './resample.ts';

/** Levels of one track in dBFS (floor -120). */
export interface SlotLevel {
  readonly peak: Decibels;
  readonly rms: Decibels;
}

interface PluginShadow {
  id: string;
  type: string;
  bypass: boolean;
  /** Values as written to the engine, by catalog index. */
  values: number[];
}

interface TrackShadow {
  slot: TrackSlot;
  source: string;
  sampleId: string | null;
  loadedSample: string | null;
  gain: number;
  pan: number;
  mute: boolean;
  solo: boolean;
  pattern: string;
  sends: string;
  chain: PluginShadow[];
}

const toDb = (v: number): Decibels => (v > 1e-6 ? 20 * Math.log10(v) : -120);

function paramValues(p: PluginInstance): number[] {
  const d = getPlugin(p.type);
  if (!d) return [];
  return d.params.map((pd) => clampParam(pd, Object.hasOwn(p.params, pd.id) && Number.isFinite(p.params[pd.id]) ? (p.params[pd.id] as number) : pd.default));
}

/**
 * Projects a {@link SessionDocument} onto an {@link EngineCore}: call
 * {@link setDocument} with every new document; it diffs against the previous
 * one and sends only the changes (param writes, plugin moves keep state).
 * Track ids map to engine slots; `master` is the engine's master slot.
 */
export class SessionGraph {
  private readonly tracks = new Map<string, TrackShadow>();
  private readonly samples = new Map<string, Float32Array[]>();
  private tempo = -1;

  constructor(readonly core: EngineCore) {}

  /** The engine slot of a track id (`master` included), if it is in the graph. */
  slotOf(trackId: string): TrackSlot | undefined {
    return this.tracks.get(trackId)?.slot;
  }

  /** Applies a whole document: adds, removes and updates tracks, chains, sends, patterns, tempo. */
  setDocument(doc: SessionDocument): void {
    if (doc.tempo_bpm !== this.tempo) {
      this.tempo = doc.tempo_bpm;
      this.core.setTempo(doc.tempo_bpm);
    }
    const wanted = new Set(doc.tracks.map((t) => t.id));
    for (const [id, shadow] of this.tracks) {
      if (id === 'master' || wanted.has(id)) continue;
      this.core.resetTrack(shadow.slot);
      this.tracks.delete(id);
    }
    const used = new Set([...this.tracks.values()].map((s) => s.slot));
    let next = 0;
    for (const track of doc.tracks) {
      if (this.tracks.has(track.id) || track.id === 'master') continue;
      while (used.has(next)) next++;
      if (next >= this.core.maxTracks) break; // over capacity: the rest stay silent
      used.add(next);
      this.core.resetTrack(next);
      this.core.setTrackActive(next, true);
      this.tracks.set(track.id, this.blank(next));
    }
    if (!this.tracks.has('master')) this.tracks.set('master', this.blank(this.core.masterSlot));
    for (const track of doc.tracks) this.updateTrack(track);
    this.updateTrack(doc.master);
  }

  /**
   * Hands decoded audio for a file source; it is resampled to the engine rate
   * and loaded into every track using `sampleId` (now or later).
   */
  setSample(sampleId: string, channels: readonly Float32Array[], sampleRate: Hertz): void {
    const data = channels.slice(0, 2).map((c) => resampleLinear(c, sampleRate, this.core.sampleRate));
    this.samples.set(sampleId, data);
    for (const shadow of this.tracks.values()) {
      if (shadow.sampleId === sampleId) this.loadSample(shadow);
    }
  }

  /** Meter levels per track id (and `master`), in dBFS. */
  levels(): Map<string, SlotLevel> {
    const m = this.core.meters;
    const out = new Map<string, SlotLevel>();
    for (const [id, s] of this.tracks) out.set(id, { peak: toDb(m[2 * s.slot] ?? 0), rms: toDb(m[2 * s.slot + 1] ?? 0) });
    return out;
  }

  /** MIDI to a track's synth. */
  noteOn(trackId: string, note: MidiNote, velocity: number): void {
    const slot = this.slotOf(trackId);
    if (slot !== undefined) this.core.noteOn(slot, note, velocity);
  }
  noteOff(trackId: string, note: MidiNote): void {
    const slot = this.slotOf(trackId);
    if (slot !== undefined) this.core.noteOff(slot, note);
  }

  private blank(slot: TrackSlot): TrackShadow {
    return { slot, source: '', sampleId: null, loadedSample: null, gain: NaN, pan: NaN, mute: false, solo: false, pattern: '', sends: '', chain: [] };
  }

  private loadSample(s: TrackShadow): void {
    const data = s.sampleId === null ? undefined : this.samples.get(s.sampleId);
    if (!data || s.loadedSample === s.sampleId) return;
    this.core.loadSample(s.slot, data);
    s.loadedSample = s.sampleId;
  }

  private updateTrack(track: Track): void {
    const s = this.tracks.get(track.id);
    if (!s) return;
    const core = this.core;
    const isMaster = s.slot === core.masterSlot;
    if (!isMaster && track.source.kind !== s.source) {
      s.source = track.source.kind;
      core.setTrackSource(s.slot, track.source.kind);
    }
    const sampleId = track.source.kind === 'file' ? track.source.sample_id : null;
    if (sampleId !== s.sampleId) {
      s.sampleId = sampleId;
      s.loadedSample = null;
      core.clearSample(s.slot);
    }
    this.loadSample(s);
    if (track.gain_db !== s.gain) core.setTrackGain(s.slot, (s.gain = track.gain_db));
    if (track.pan !== s.pan) core.setTrackPan(s.slot, (s.pan = track.pan));
    if (track.mute !== s.mute) core.setTrackMute(s.slot, (s.mute = track.mute));
    if (track.solo !== s.solo) core.setTrackSolo(s.slot, (s.solo = track.solo));
    const steps = (track.pattern ?? DEFAULT_PATTERN).steps;
    const patternKey = steps.join(',');
    if (patternKey !== s.pattern) {
      s.pattern = patternKey;
      core.setPattern(s.slot, steps);
    }
    const sends = track.sends.flatMap((send) => {
      const target = this.tracks.get(send.target);
      return target && target.slot !== core.masterSlot ? [{ target: target.slot, gainDb: send.gain_db }] : [];
    });
    const sendsKey = JSON.stringify(sends);
    if (sendsKey !== s.sends) {
      s.sends = sendsKey;
      core.setSends(s.slot, sends);
    }
    this.updateChain(s, track.chain);
  }

  private updateChain(s: TrackShadow, chain: readonly PluginInstance[]): void {
    const core = this.core;
    const ids = new Set(chain.map((p) => p.id));
    // 1. Remove what left the chain.
    for (let i = s.chain.length - 1; i >= 0; i--) {
      if (!ids.has((s.chain[i] as PluginShadow).id)) {
        core.removePlugin(s.slot, i);
        s.chain.splice(i, 1);
      }
    }
    // 2. Walk the new order: keep, move (state travels) or insert.
    chain.forEach((p, i) => {
      if (i >= core.maxPlugins) return;
      const at = s.chain.findIndex((x) => x.id === p.id);
      if (at === i) return;
      if (at > i) {
        core.movePlugin(s.slot, at, i);
        s.chain.splice(i, 0, ...s.chain.splice(at, 1));
        return;
      }
      const values = paramValues(p);
      if (!core.insertPlugin(s.slot, i, p.type, p.params)) return;
      s.chain.splice(i, 0, { id: p.id, type: p.type, bypass: false, values });
    });
    // 3. Type, bypass and param changes in place.
    s.chain.forEach((shadow, i) => {
      const p = chain[i];
      if (!p) return;
      if (p.type !== shadow.type) {
        core.setPluginType(s.slot, i, p.type, p.params);
        shadow.type = p.type;
        shadow.values = paramValues(p);
      } else {
        const values = paramValues(p);
        values.forEach((v, k) => {
          if (shadow.values[k] !== v) core.setParam(s.slot, i, k, v);
        });
        shadow.values = values;
      }
      if (p.bypass !== shadow.bypass) {
        shadow.bypass = p.bypass;
        core.setBypass(s.slot, i, p.bypass);
      }
    });
  }
}
