import type { PluginInstance, SessionDocument, Track } from '../protocol/session.ts';
import type { PluginId, TrackId } from '../protocol/ids.ts';
import { getPlugin } from '../plugins/index.ts';

/** A plugin param that changed value; travels through the event ring. */
export interface ParamChange {
  readonly kind: 'param';
  readonly track: TrackId;
  readonly plugin: PluginId;
  /** Index of the param in the catalog descriptor (the engine's addressing). */
  readonly index: number;
  readonly value: number;
}

/** A track fader, pan or mute that changed; travels through the event ring. */
export interface TrackChange {
  readonly kind: 'track';
  readonly track: TrackId;
  readonly field: 'gain_db' | 'pan' | 'mute';
  readonly value: number;
}

/** How to bring the engine from one document to the next. */
export type DocumentDelta =
  | { readonly structural: true }
  | { readonly structural: false; readonly changes: readonly (ParamChange | TrackChange)[] };

/**
 * The shape of a document as the engine's graph sees it: everything except
 * values that can change through the ring (plugin params, track gain, pan,
 * mute) and what the engine never reads (names, presets, sync metadata).
 * Two documents with the same shape differ only in ring-able values.
 */
export function graphShape(doc: SessionDocument): string {
  const track = (t: Track) => ({
    id: t.id, source: t.source, solo: t.solo, pattern: t.pattern, sends: t.sends,
    chain: t.chain.map((p) => [p.id, p.type, p.bypass, paramKeys(p)]),
  });
  return JSON.stringify({ tempo: doc.tempo_bpm, tracks: doc.tracks.map(track), master: track(doc.master) });
}

/** The param ids a plugin carries (a param appearing or vanishing is a shape change). */
function paramKeys(p: PluginInstance): string {
  return Object.keys(p.params).sort().join(',');
}

/**
 * Classifies the change from `prev` to `next`: either a list of value
 * changes for the ring, or "structural" (send the document through comlink
 * and let the worklet's session projection rebuild what changed).
 */
export function diffDocuments(prev: SessionDocument | undefined, next: SessionDocument): DocumentDelta {
  if (!prev || graphShape(prev) !== graphShape(next)) return { structural: true };
  const changes: (ParamChange | TrackChange)[] = [];
  const tracks: [Track, Track][] = prev.tracks.map((t, i) => [t, next.tracks[i]!]);
  tracks.push([prev.master, next.master]);
  for (const [a, b] of tracks) {
    if (a.gain_db !== b.gain_db) changes.push({ kind: 'track', track: b.id, field: 'gain_db', value: b.gain_db });
    if (a.pan !== b.pan) changes.push({ kind: 'track', track: b.id, field: 'pan', value: b.pan });
    if (a.mute !== b.mute) changes.push({ kind: 'track', track: b.id, field: 'mute', value: b.mute ? 1 : 0 });
    b.chain.forEach((plugin, i) => {
      const before = a.chain[i]!;
      const descriptor = getPlugin(plugin.type);
      if (!descriptor) return;
      descriptor.params.forEach((d, index) => {
        const value = plugin.params[d.id];
        if (value !== undefined && value !== before.params[d.id]) {
          changes.push({ kind: 'param', track: b.id, plugin: plugin.id, index, value });
        }
      });
    });
  }
  return { structural: false, changes };
}
