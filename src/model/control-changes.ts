import { paramControlKey, trackControlKey, type ControlKey } from '../protocol/controls.ts';
import type { SessionDocument } from '../protocol/session.ts';
import type { EngineChange } from './changes.ts';
import { findTrack } from './draft.ts';

/**
 * The control an engine change moves (see `controlKey` for ops), or null
 * for a change that is no control's (structure, sources, tempo). Lets the
 * session controller keep remote values off a control its user holds.
 */
export function changeControl(change: EngineChange): ControlKey | null {
  switch (change.kind) {
    case 'param': return paramControlKey(change.track, change.plugin, change.param);
    case 'track-value': return trackControlKey(change.track, change.field);
    case 'solo': return trackControlKey(change.track, 'solo');
    default: return null;
  }
}

/**
 * The engine change that sets one control to its value in `doc` (what lands
 * when a held control is released), or null when the control is gone.
 */
export function controlChange(doc: SessionDocument, key: ControlKey): EngineChange | null {
  const [trackId = '', pluginId = '', field = ''] = key.split('/');
  const track = findTrack(doc, trackId);
  if (!track) return null;
  if (pluginId !== '') {
    const value = track.chain.find((p) => p.id === pluginId)?.params[field];
    return typeof value === 'number' ? { kind: 'param', track: trackId, plugin: pluginId, param: field, value } : null;
  }
  switch (field) {
    case 'gain_db': return { kind: 'track-value', track: trackId, field, value: track.gain_db };
    case 'pan': return { kind: 'track-value', track: trackId, field, value: track.pan };
    case 'mute': return { kind: 'track-value', track: trackId, field, value: track.mute ? 1 : 0 };
    case 'solo': return { kind: 'solo', track: trackId, solo: track.solo };
    default: return null;
  }
}
