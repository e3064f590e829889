import { z } from 'zod';
import { PARAM_UNITS } from './units.ts';

/** `effect` processes its input; `instrument` makes sound from notes. */
export const PLUGIN_KINDS = ['effect', 'instrument'] as const;
export type PluginKind = (typeof PLUGIN_KINDS)[number];

/** Param and plugin type ids: lower snake case. */
export const PARAM_ID_PATTERN = /^[a-z][a-z0-9_]{0,31}$/;

/**
 * How a param is drawn and edited (SPEC §4). Values are plain numbers in the
 * param's own unit; a choice param's value is the index into `choices`.
 */
export const ParamDescriptorSchema = z.strictObject({
  id: z.string().regex(PARAM_ID_PATTERN),
  name: z.string().min(1),
  min: z.number(),
  max: z.number(),
  default: z.number(),
  unit: z.enum(PARAM_UNITS),
  scale: z.enum(['linear', 'log']),
  step: z.number().positive().optional(),
  choices: z.array(z.string().min(1)).min(2).optional(),
});
export type ParamDescriptor = z.infer<typeof ParamDescriptorSchema>;

/** A catalog entry: what `GET /api/plugins` serves and the UI draws from. */
export const PluginDescriptorSchema = z.strictObject({
  id: z.string().regex(PARAM_ID_PATTERN),
  name: z.string().min(1),
  kind: z.enum(PLUGIN_KINDS),
  description: z.string(),
  params: z.array(ParamDescriptorSchema),
});
export type PluginDescriptor = z.infer<typeof PluginDescriptorSchema>;

/** A named set of param values for one plugin type (factory or user). */
export const PresetSchema = z.strictObject({
  id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
  name: z.string().min(1).max(120),
  plugin_type: z.string().regex(PARAM_ID_PATTERN),
  params: z.record(z.string().regex(PARAM_ID_PATTERN), z.number()),
});
export type Preset = z.infer<typeof PresetSchema>;
