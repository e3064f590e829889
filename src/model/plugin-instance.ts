import type { OutboardError } from '../protocol/errors.ts';
import type { Hlc, TrackId } from '../protocol/ids.ts';
import type { PluginInstance } from '../protocol/session.ts';
import { defaultParams } from '../plugins/index.ts';
import { keys } from './keys.ts';
import { checkParams, lookupPlugin } from './validate.ts';

/** A plugin as an op may describe it: params and bypass optional. */
export interface PluginSpec {
  readonly id: string;
  readonly type: string;
  readonly params?: Record<string, number> | undefined;
  readonly bypass?: boolean | undefined;
}

/**
 * A full plugin instance from a spec: the type must be in the catalog, given
 * params must be valid, the rest take catalog defaults.
 */
export function buildPlugin(spec: PluginSpec, field: string): PluginInstance | OutboardError {
  const descriptor = lookupPlugin(spec.type, `${field}.type`);
  if ('code' in descriptor) return descriptor;
  const error = checkParams(spec.type, spec.params ?? {}, `${field}.params`);
  if (error) return error;
  return { id: spec.id, type: spec.type, bypass: spec.bypass ?? false, params: { ...defaultParams(descriptor), ...spec.params } };
}

/** Creation clocks of the plugins a track was added with. */
export function creationClocks(trackId: TrackId, chain: readonly PluginInstance[], hlc: Hlc): Record<string, Hlc> {
  return Object.fromEntries(chain.map((p) => [keys.plugin(trackId, p.id), hlc]));
}
