import type { EngineChange } from '../../src/model/changes.ts';
import { DEFAULT_PATTERN } from '../../src/plugins/index.ts';
import { MASTER_TRACK_ID, type PluginId, type TrackId } from '../../src/protocol/ids.ts';
import type { PluginInstance, Send, Source, Track } from '../../src/protocol/session.ts';
import { pluginCode, SOURCE_CODES, TrackField } from './codes.ts';
import type { TrackSlot } from './engine-core.ts';
import type { EngineLimits, GraphSink } from './graph-commands.ts';
import { engineValue, engineValues, paramIndex } from './param-values.ts';

interface HeldPlugin {
  readonly id: PluginId;
  type: string;
  bypass: boolean;
  /** As last sent, catalog order (a typed array: a fader move stores a double without boxing it). */
  values: Float64Array;
}

interface HeldTrack {
  readonly id: TrackId;
  readonly slot: TrackSlot;
  source: Source['kind'] | '';
  sample: string | null;
  /** gain_db, pan, mute (0/1), by `TrackField`. */
  readonly values: [number, number, number];
  solo: boolean;
  pattern: string;
  /** As the document says (by track id), kept so they can be re-resolved when a bus comes or goes. */
  sends: readonly Send[];
  sent: string;
  readonly chain: HeldPlugin[];
}

const FIELDS = { gain_db: TrackField.gainDb, pan: TrackField.pan, mute: TrackField.mute } as const;

/**
 * What the engine holds, and the one owner of that knowledge: track id ->
 * engine slot, plugin id -> chain position and type, and every value as last
 * sent. It turns engine changes (model/changes.ts) into value writes and
 * graph commands on a {@link GraphSink}: a param id becomes a catalog index
 * and a value is clamped here and nowhere else, and a value equal to what the
 * engine holds is not sent. Pure (no I/O): the browser runs it on the main
 * thread in front of the worklet, Node in front of its EngineCore, so both
 * build the same graph from the same changes.
 */
export class EngineGraph {
  private readonly tracks = new Map<TrackId, HeldTrack>();
  private readonly used: boolean[];
  private tempo = NaN;

  constructor(readonly limits: EngineLimits, private readonly sink: GraphSink) {
    this.used = new Array<boolean>(limits.maxTracks).fill(false);
    this.tracks.set(MASTER_TRACK_ID, blank(MASTER_TRACK_ID, limits.masterSlot));
  }

  /** Applies the changes of one op, in order. */
  apply(changes: readonly EngineChange[]): void {
    for (const change of changes) this.change(change);
  }

  /**
   * Brings the engine to a whole compiled document (`compileDocument`):
   * tracks it does not name go; the others are added or brought up to date
   * with only what differs (a plugin that stays keeps its state).
   */
  load(compiled: readonly EngineChange[]): void {
    const named = new Set(compiled.flatMap((c) => (c.kind === 'track' ? [c.track.id] : [])));
    for (const id of [...this.tracks.keys()]) if (id !== MASTER_TRACK_ID && !named.has(id)) this.removeTrack(id);
    this.apply(compiled);
  }

  /** The engine slot of a track (`master` included), if the engine holds it. */
  slotOf(trackId: TrackId): TrackSlot | undefined {
    return this.tracks.get(trackId)?.slot;
  }

  /** A track's gain (dB), pan or mute (0/1) as the engine was last sent it (diagnostics and tests). */
  trackValue(trackId: TrackId, field: keyof typeof FIELDS): number | undefined {
    return this.tracks.get(trackId)?.values[FIELDS[field]];
  }

  /** Track id -> slot for every held track, `master` included. */
  slots(): IterableIterator<[TrackId, TrackSlot]> {
    return (function* (tracks) {
      for (const [id, t] of tracks) yield [id, t.slot] as [TrackId, TrackSlot];
    })(this.tracks);
  }

  /** Calls `visit` with each held track's id and slot, `master` included; allocates nothing (the meters read this every frame). */
  forEachSlot(visit: (id: TrackId, slot: TrackSlot) => void): void {
    this.tracks.forEach((t, id) => visit(id, t.slot));
  }

  /** The first track (by slot) whose chain starts with an instrument: where MIDI goes by default. */
  firstInstrument(): TrackId | undefined {
    let best: HeldTrack | undefined;
    for (const t of this.tracks.values()) {
      if (t.chain[0]?.type === 'synth' && t.id !== MASTER_TRACK_ID && (!best || t.slot < best.slot)) best = t;
    }
    return best?.id;
  }

  /** Whether any held track is fed by this kind of source. */
  hasSource(kind: Source['kind']): boolean {
    for (const t of this.tracks.values()) if (t.source === kind) return true;
    return false;
  }

  private change(c: EngineChange): void {
    if (c.kind === 'tempo') {
      if (c.bpm !== this.tempo) this.sink.command({ op: 'tempo', bpm: (this.tempo = c.bpm) });
      return;
    }
    if (c.kind === 'track') {
      const held = this.tracks.get(c.track.id);
      if (held) this.syncTrack(held, c.track);
      else this.addTrack(c.track);
      return;
    }
    if (c.kind === 'track-removed') {
      this.removeTrack(c.track);
      return;
    }
    const t = this.tracks.get(c.track);
    if (!t) return; // over the engine's capacity: the track is silent
    switch (c.kind) {
      case 'param': return this.setParam(t, c.plugin, c.param, c.value);
      case 'track-value': return this.setValue(t, FIELDS[c.field], c.value);
      case 'solo': return this.setSolo(t, c.solo);
      case 'source': return this.setSource(t, c.source);
      case 'pattern': return this.setPattern(t, c.pattern?.steps ?? null);
      case 'sends': return this.setSends(t, c.sends);
      case 'plugin-added': return this.insert(t, c.plugin, c.index);
      case 'plugin-removed': return this.removePlugin(t, chainIndex(t, c.plugin));
      case 'plugin-moved': return this.move(t, chainIndex(t, c.plugin), c.index);
      case 'bypass': return this.setBypass(t, chainIndex(t, c.plugin), c.bypass);
    }
  }

  private setParam(t: HeldTrack, pluginId: PluginId, param: string, value: number): void {
    const at = chainIndex(t, pluginId);
    const p = t.chain[at];
    if (!p) return;
    const index = paramIndex(p.type, param);
    const v = engineValue(p.type, index, value);
    if (Number.isNaN(v) || p.values[index] === v) return;
    p.values[index] = v;
    this.sink.param(t.slot, at, index, v);
  }

  private setValue(t: HeldTrack, field: TrackField, value: number): void {
    if (t.values[field] === value) return;
    t.values[field] = value;
    this.sink.trackValue(t.slot, field, value);
  }

  private setSolo(t: HeldTrack, solo: boolean): void {
    if (t.solo !== solo) this.sink.command({ op: 'solo', slot: t.slot, on: (t.solo = solo) });
  }

  private setSource(t: HeldTrack, source: Source): void {
    if (t.id === MASTER_TRACK_ID) return;
    if (source.kind !== t.source) this.sink.command({ op: 'source', slot: t.slot, kind: SOURCE_CODES[(t.source = source.kind)] });
    const sample = source.kind === 'file' ? source.sample_id : null;
    if (sample !== t.sample) this.sink.command({ op: 'sample', slot: t.slot, sample: (t.sample = sample) });
  }

  private setPattern(t: HeldTrack, steps: readonly (number | null)[] | null): void {
    const notes = (steps ?? DEFAULT_PATTERN.steps).map((n) => n ?? -1);
    const key = notes.join(',');
    if (key !== t.pattern) {
      t.pattern = key;
      this.sink.command({ op: 'pattern', slot: t.slot, steps: notes });
    }
  }

  /** Sends resolve to bus slots held now; unknown targets and the master are left out. */
  private setSends(t: HeldTrack, sends: readonly Send[]): void {
    t.sends = sends;
    const targets: TrackSlot[] = [];
    const gains: number[] = [];
    for (const s of sends) {
      const slot = this.tracks.get(s.target)?.slot;
      if (slot === undefined || slot === this.limits.masterSlot || targets.length >= this.limits.maxSends) continue;
      targets.push(slot);
      gains.push(s.gain_db);
    }
    const key = `${targets.join(',')}|${gains.join(',')}`;
    if (key === t.sent) return;
    t.sent = key;
    this.sink.command({ op: 'sends', slot: t.slot, targets, gains });
  }

  /** Re-resolves the sends of every track that names `target` (it came or went). */
  private resendTo(target: TrackId): void {
    for (const t of this.tracks.values()) if (t.sends.some((s) => s.target === target)) this.setSends(t, t.sends);
  }

  private addTrack(track: Track): void {
    const slot = this.used.indexOf(false);
    if (slot < 0) return; // over capacity: the track stays silent
    this.used[slot] = true;
    const held = blank(track.id, slot);
    this.tracks.set(track.id, held);
    this.sink.command({ op: 'track-open', slot });
    this.syncTrack(held, track);
    this.resendTo(track.id);
  }

  private removeTrack(id: TrackId): void {
    const t = this.tracks.get(id);
    if (!t || id === MASTER_TRACK_ID) return;
    this.tracks.delete(id);
    this.used[t.slot] = false;
    this.sink.command({ op: 'track-close', slot: t.slot });
    this.resendTo(id);
  }

  /** Brings one held track to `track`, sending only what differs. */
  private syncTrack(t: HeldTrack, track: Track): void {
    this.setSource(t, track.source);
    this.setValue(t, TrackField.gainDb, track.gain_db);
    this.setValue(t, TrackField.pan, track.pan);
    this.setValue(t, TrackField.mute, track.mute ? 1 : 0);
    this.setSolo(t, track.solo);
    this.setPattern(t, track.pattern?.steps ?? null);
    this.setSends(t, track.sends);
    this.syncChain(t, track.chain);
  }

  private syncChain(t: HeldTrack, chain: readonly PluginInstance[]): void {
    const ids = new Set(chain.map((p) => p.id));
    for (let i = t.chain.length - 1; i >= 0; i--) if (!ids.has(t.chain[i]!.id)) this.removePlugin(t, i);
    chain.forEach((p, i) => {
      const at = chainIndex(t, p.id);
      if (at < 0) this.insert(t, p, i);
      else if (at !== i) this.move(t, at, i);
    });
    chain.forEach((p, i) => {
      const held = t.chain[i];
      if (held?.id !== p.id) return;
      if (held.type !== p.type) {
        const values = engineValues(p.type, p.params);
        held.type = p.type;
        held.values = Float64Array.from(values);
        this.sink.command({ op: 'retype', slot: t.slot, index: i, code: pluginCode(p.type), values });
      } else {
        for (const param in p.params) this.setParam(t, p.id, param, p.params[param]!);
      }
      this.setBypass(t, i, p.bypass);
    });
  }

  private insert(t: HeldTrack, plugin: PluginInstance, index: number): void {
    if (t.chain.length >= this.limits.maxPlugins || chainIndex(t, plugin.id) >= 0) return;
    const at = Math.min(index, t.chain.length);
    const values = engineValues(plugin.type, plugin.params);
    t.chain.splice(at, 0, { id: plugin.id, type: plugin.type, bypass: false, values: Float64Array.from(values) });
    this.sink.command({ op: 'insert', slot: t.slot, index: at, code: pluginCode(plugin.type), values });
    this.setBypass(t, at, plugin.bypass);
  }

  private removePlugin(t: HeldTrack, index: number): void {
    if (index < 0) return;
    t.chain.splice(index, 1);
    this.sink.command({ op: 'remove', slot: t.slot, index });
  }

  private move(t: HeldTrack, from: number, index: number): void {
    const to = Math.min(index, t.chain.length - 1);
    if (from < 0 || from === to) return;
    t.chain.splice(to, 0, ...t.chain.splice(from, 1));
    this.sink.command({ op: 'move', slot: t.slot, from, to });
  }

  private setBypass(t: HeldTrack, index: number, bypass: boolean): void {
    const p = t.chain[index];
    if (p && p.bypass !== bypass) this.sink.command({ op: 'bypass', slot: t.slot, index, on: (p.bypass = bypass) });
  }
}

function blank(id: TrackId, slot: TrackSlot): HeldTrack {
  return { id, slot, source: '', sample: null, values: [NaN, NaN, NaN], solo: false, pattern: '', sends: [], sent: '|', chain: [] };
}

/** A plugin's position in the held chain, or -1. */
function chainIndex(t: HeldTrack, pluginId: PluginId): number {
  const chain = t.chain;
  for (let i = 0; i < chain.length; i++) if (chain[i]!.id === pluginId) return i;
  return -1;
}
