import { outboardError } from '../protocol/errors.ts';
import type { Hlc } from '../protocol/ids.ts';
import type { OpData } from '../protocol/ops.ts';
import type { PluginInstance, SessionDocument, Track } from '../protocol/session.ts';
import { positionOf } from './clocks.ts';
import { chainOrder, clockOf, findTrack, purgeMeta, replaceTrack, sortByPositions, takes, withMeta } from './draft.ts';
import { belongsToPlugin, keys, POSITION_FIELD } from './keys.ts';
import { positionAt } from './order.ts';
import { applied, missingPlugin, missingTrack, rejected, removedAgain, superseded, type Applied } from './outcome.ts';
import { buildPlugin } from './plugin-instance.ts';
import { resolvePreset } from './presets.ts';
import { checkParam } from './validate.ts';

type Located = { track: Track; plugin: PluginInstance } | { missing: Applied };

/** Finds the plugin an op targets, or the outcome for a missing one. */
function locate(doc: SessionDocument, trackId: string, pluginId: string): Located {
  const track = findTrack(doc, trackId);
  if (!track) return { missing: missingTrack(doc, trackId) };
  const plugin = track.chain.find((p) => p.id === pluginId);
  if (!plugin) return { missing: missingPlugin(doc, trackId, pluginId) };
  return { track, plugin };
}

/** The document with one plugin replaced in place (its order unchanged: param and bypass writes, the hot path). */
function withPlugin(doc: SessionDocument, track: Track, next: PluginInstance, meta: SessionDocument['meta']): SessionDocument {
  return { ...replaceTrack(doc, { ...track, chain: track.chain.map((p) => (p.id === next.id ? next : p)) }), meta };
}

/** ADD_PLUGIN: a catalog plugin into a track's chain; params default from the catalog. */
export function addPlugin(doc: SessionDocument, data: OpData<'ADD_PLUGIN'>, hlc: Hlc): Applied {
  const track = findTrack(doc, data.track_id);
  if (!track) return missingTrack(doc, data.track_id);
  const element = keys.plugin(track.id, data.plugin.id);
  if (doc.meta.tombstones[element]) return superseded(doc, `plugin "${data.plugin.id}" was removed`);
  if (track.chain.some((p) => p.id === data.plugin.id)) return superseded(doc, `plugin "${data.plugin.id}" already exists`);
  const plugin = buildPlugin(data.plugin, 'data.plugin');
  if ('code' in plugin) return rejected(doc, plugin);
  const position = data.position ?? positionAt(chainOrder(doc.meta, track.id, track.chain), data.index);
  const meta = withMeta(doc.meta, { [element]: hlc }, { [element]: position });
  const chain = sortByPositions([...track.chain, plugin], meta, (p) => keys.plugin(track.id, p.id));
  return applied({ ...replaceTrack(doc, { ...track, chain }), meta });
}

/** REMOVE_PLUGIN: the plugin goes; its tombstone wins over later-arriving edits. */
export function removePlugin(doc: SessionDocument, data: OpData<'REMOVE_PLUGIN'>, hlc: Hlc): Applied {
  const tombstone = keys.plugin(data.track_id, data.plugin_id);
  if (doc.meta.tombstones[tombstone]) return removedAgain(doc, tombstone, hlc);
  const found = locate(doc, data.track_id, data.plugin_id);
  if ('missing' in found) return found.missing;
  const { track, plugin } = found;
  const element = keys.plugin(track.id, plugin.id);
  const meta = purgeMeta(doc.meta, (k) => belongsToPlugin(k, track.id, plugin.id) || k === element, element, hlc);
  return applied({ ...replaceTrack(doc, { ...track, chain: track.chain.filter((p) => p.id !== plugin.id) }), meta });
}

/** MOVE_PLUGIN: the plugin's place in the chain is a last-writer-wins register. */
export function movePlugin(doc: SessionDocument, data: OpData<'MOVE_PLUGIN'>, hlc: Hlc): Applied {
  const found = locate(doc, data.track_id, data.plugin_id);
  if ('missing' in found) return found.missing;
  const { track, plugin } = found;
  const element = keys.plugin(track.id, plugin.id);
  const clockKey = keys.pluginField(track.id, plugin.id, POSITION_FIELD);
  const others = track.chain.filter((p) => p.id !== plugin.id);
  const position = data.position ?? positionAt(chainOrder(doc.meta, track.id, others), data.index);
  if (!takes(hlc, clockOf(doc.meta, clockKey, element), positionOf(doc.meta, element), position)) return superseded(doc, 'a later move won');
  const meta = withMeta(doc.meta, { [clockKey]: hlc }, { [element]: position });
  const chain = sortByPositions(track.chain, meta, (p) => keys.plugin(track.id, p.id));
  return applied({ ...replaceTrack(doc, { ...track, chain }), meta });
}

/** BYPASS_PLUGIN: a last-writer-wins register. */
export function bypassPlugin(doc: SessionDocument, data: OpData<'BYPASS_PLUGIN'>, hlc: Hlc): Applied {
  const found = locate(doc, data.track_id, data.plugin_id);
  if ('missing' in found) return found.missing;
  const { track, plugin } = found;
  const key = keys.pluginField(track.id, plugin.id, 'bypass');
  if (!takes(hlc, clockOf(doc.meta, key, keys.plugin(track.id, plugin.id)), plugin.bypass, data.bypass)) return superseded(doc, 'a later bypass won');
  return applied(withPlugin(doc, track, { ...plugin, bypass: data.bypass }, withMeta(doc.meta, { [key]: hlc })));
}

/** Writes params as last-writer-wins registers; the ones that lose stay. */
function writeParams(doc: SessionDocument, track: Track, plugin: PluginInstance, values: Record<string, number>, hlc: Hlc): Applied {
  const element = keys.plugin(track.id, plugin.id);
  const params = { ...plugin.params };
  const clocks: Record<string, Hlc> = {};
  for (const [id, value] of Object.entries(values)) {
    const key = keys.param(track.id, plugin.id, id);
    if (!takes(hlc, clockOf(doc.meta, key, element), params[id], value)) continue;
    params[id] = value;
    clocks[key] = hlc;
  }
  if (Object.keys(clocks).length === 0) return superseded(doc, 'a later write won');
  return applied(withPlugin(doc, track, { ...plugin, params }, withMeta(doc.meta, clocks)));
}

/** PLUGIN_PARAMETER: one param value, checked against the catalog. */
export function setParameter(doc: SessionDocument, data: OpData<'PLUGIN_PARAMETER'>, hlc: Hlc): Applied {
  const found = locate(doc, data.track_id, data.plugin_id);
  if ('missing' in found) return found.missing;
  const { track, plugin } = found;
  const error = checkParam(plugin.type, data.parameter_id, data.parameter_value, 'data.parameter_value', 'data.parameter_id');
  if (error) return rejected(doc, error);
  return writeParams(doc, track, plugin, { [data.parameter_id]: data.parameter_value }, hlc);
}

/** LOAD_PRESET: a factory or session preset's values, for a plugin of the preset's type. */
export function loadPreset(doc: SessionDocument, data: OpData<'LOAD_PRESET'>, hlc: Hlc): Applied {
  const found = locate(doc, data.track_id, data.plugin_id);
  if ('missing' in found) return found.missing;
  const { track, plugin } = found;
  let values = data.params;
  if (!values) {
    const preset = resolvePreset(doc, data.preset_id);
    if (!preset) {
      return rejected(doc, outboardError('PRESET_LOAD_FAILED', `preset "${data.preset_id}" does not exist`, 'data.preset_id'));
    }
    if (preset.plugin_type !== plugin.type) {
      return rejected(doc, outboardError(
        'PRESET_LOAD_FAILED',
        `preset "${data.preset_id}" is for ${preset.plugin_type}, but plugin "${plugin.id}" is ${plugin.type}`,
        'data.preset_id',
      ));
    }
    values = preset.params;
  }
  for (const [id, value] of Object.entries(values)) {
    const error = checkParam(plugin.type, id, value, `data.params.${id}`);
    if (error) {
      return rejected(doc, outboardError('PRESET_LOAD_FAILED', `preset "${data.preset_id}" does not fit ${plugin.type}: ${error.message}`, error.field));
    }
  }
  return writeParams(doc, track, plugin, values, hlc);
}
