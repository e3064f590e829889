import type { ParamDescriptor, PluginDescriptor, Preset } from '../protocol/plugin.ts';
import { PLUGINS } from './catalog.ts';
import { FACTORY_PRESETS } from './presets.ts';

export { PLUGINS } from './catalog.ts';
export { FACTORY_PRESETS } from './presets.ts';
export { DEFAULT_PATTERN } from './pattern.ts';

// Maps, not object lookups: a type named "constructor" must not find Object.prototype.
const byType = new Map(PLUGINS.map((p) => [p.id, p]));
const paramsByType = new Map(PLUGINS.map((p) => [p.id, new Map(p.params.map((d) => [d.id, d]))]));
const presetsById = new Map(FACTORY_PRESETS.map((p) => [p.id, p]));

/** The descriptor of a plugin type, or undefined when the catalog has none. */
export function getPlugin(type: string): PluginDescriptor | undefined {
  return byType.get(type);
}

/** A param's descriptor within a plugin type. */
export function getParam(type: string, paramId: string): ParamDescriptor | undefined {
  return paramsByType.get(type)?.get(paramId);
}

/** Every param at its default. */
export function defaultParams(descriptor: PluginDescriptor): Record<string, number> {
  return Object.fromEntries(descriptor.params.map((p) => [p.id, p.default]));
}

/** A factory preset by id. */
export function getFactoryPreset(id: string): Preset | undefined {
  return presetsById.get(id);
}

/** Factory presets for one plugin type. */
export function factoryPresetsFor(type: string): Preset[] {
  return FACTORY_PRESETS.filter((p) => p.plugin_type === type);
}

/** Formats a value with its unit for people: "1.00 kHz", "-6.0 dB", "lowpass". */
export function formatParam(d: ParamDescriptor, value: number): string {
  if (d.choices) return d.choices[Math.round(value)] ?? String(value);
  const digits = (v: number) => (Math.abs(v) >= 100 ? 0 : Math.abs(v) >= 10 ? 1 : 2);
  if (d.unit === 'Hz' && value >= 1000) return `${(value / 1000).toFixed(2)} kHz`;
  if (d.unit === 'ms' && value >= 1000) return `${(value / 1000).toFixed(2)} s`;
  const text = value.toFixed(digits(value));
  if (d.unit === 'ratio') return `${text}:1`;
  return d.unit ? `${text} ${d.unit}` : text;
}
