// Where a track's or a plugin's record lives (see layout.ts).
import { MAX_PLUGINS, PLUGIN_STRIDE, TRACK_STRIDE } from './layout';
import { pluginsPtr, tracksPtr } from './state';

// @ts-ignore: decorator
@inline export function trackPtr(t: i32): usize {
  return tracksPtr + <usize>(t * TRACK_STRIDE);
}

// @ts-ignore: decorator
@inline export function pluginPtr(t: i32, s: i32): usize {
  return pluginsPtr + <usize>((t * MAX_PLUGINS + s) * PLUGIN_STRIDE);
}
