import type { PluginId, PresetId, TrackId } from '../protocol/ids.ts';

/**
 * Keys of the convergence metadata (`document.meta`). Ids cannot contain ':',
 * so these never collide. A field's register falls back to its element's
 * creation clock when it has never been written on its own.
 */
export const keys = {
  session: (field: string) => `s:${field}`,
  track: (trackId: TrackId) => `t:${trackId}`,
  trackField: (trackId: TrackId, field: string) => `t:${trackId}:${field}`,
  plugin: (trackId: TrackId, pluginId: PluginId) => `p:${trackId}:${pluginId}`,
  pluginField: (trackId: TrackId, pluginId: PluginId, field: string) => `p:${trackId}:${pluginId}:${field}`,
  param: (trackId: TrackId, pluginId: PluginId, paramId: string) => `p:${trackId}:${pluginId}:param:${paramId}`,
  preset: (presetId: PresetId) => `r:${presetId}`,
} as const;

/** Order registers live under this field name. */
export const POSITION_FIELD = '@pos';

/** True for every meta key that belongs to the track (its fields and its plugins). */
export function belongsToTrack(key: string, trackId: TrackId): boolean {
  return key.startsWith(`t:${trackId}:`) || key.startsWith(`p:${trackId}:`);
}

/** True for every meta key that belongs to the plugin. */
export function belongsToPlugin(key: string, trackId: TrackId, pluginId: PluginId): boolean {
  return key.startsWith(`p:${trackId}:${pluginId}:`);
}
