import { outboardError } from '../protocol/errors.ts';
import type { Hlc, PresetId } from '../protocol/ids.ts';
import type { OpData } from '../protocol/ops.ts';
import { PresetSchema, type Preset } from '../protocol/plugin.ts';
import { zodToError } from '../protocol/parse.ts';
import type { SessionDocument } from '../protocol/session.ts';
import { getFactoryPreset } from '../plugins/index.ts';
import { clockOf, takes, withMeta } from './draft.ts';
import { keys } from './keys.ts';
import { applied, rejected, superseded, type Applied } from './outcome.ts';
import { checkParams, lookupPlugin } from './validate.ts';

/** A preset by id: factory presets first, then the session's own. */
export function resolvePreset(doc: SessionDocument, id: PresetId): Preset | undefined {
  return getFactoryPreset(id) ?? doc.presets.find((p) => p.id === id);
}

/** SAVE_PRESET: a session preset, a last-writer-wins register by id. */
export function savePreset(doc: SessionDocument, data: OpData<'SAVE_PRESET'>, hlc: Hlc): Applied {
  // The preset is stored as given, so it must be exactly what a document may hold.
  const checked = PresetSchema.safeParse(data.preset);
  if (!checked.success) {
    const error = zodToError(checked.error);
    return rejected(doc, { ...error, field: `data.preset${error.field ? `.${error.field}` : ''}` });
  }
  const preset = checked.data;
  if (getFactoryPreset(preset.id)) {
    return rejected(doc, outboardError('INVALID_MESSAGE', `"${preset.id}" is a factory preset id; choose another`, 'data.preset.id'));
  }
  const descriptor = lookupPlugin(preset.plugin_type, 'data.preset.plugin_type');
  if ('code' in descriptor) return rejected(doc, descriptor);
  const error = checkParams(preset.plugin_type, preset.params, 'data.preset.params');
  if (error) return rejected(doc, error);
  const key = keys.preset(preset.id);
  if (!takes(hlc, clockOf(doc.meta, key), doc.presets.find((p) => p.id === preset.id), preset)) return superseded(doc, 'a later save won');
  const presets = [...doc.presets.filter((p) => p.id !== preset.id), preset].sort((a, b) => (a.id < b.id ? -1 : 1));
  return applied({ ...doc, presets, meta: withMeta(doc.meta, { [key]: hlc }) });
}
