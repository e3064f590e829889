import { PLUGINS } from '../../src/plugins/index.ts';
import type { ParamDescriptor } from '../../src/protocol/plugin.ts';

/**
 * The one place a param id becomes the engine's param index (catalog order)
 * and a value is clamped to what the engine takes. The model already refuses
 * out-of-range values; clamping here keeps a document edited by hand, or one
 * from an older catalog, from reaching the DSP out of range.
 */

const descriptors = new Map(PLUGINS.map((p) => [p.id, p.params]));
const indices = new Map(PLUGINS.map((p) => [p.id, new Map(p.params.map((d, i) => [d.id, i]))]));

/** Clamps a param value into its descriptor's range; choices and stepped params round. */
export function clampParam(d: ParamDescriptor, value: number): number {
  const v = Math.min(d.max, Math.max(d.min, value));
  return d.choices || d.step ? Math.round(v) : v;
}

/** The engine's index of param `id` of plugin `type`, or -1 when the catalog has no such param. */
export function paramIndex(type: string, id: string): number {
  return indices.get(type)?.get(id) ?? -1;
}

/** Value `value` for param `index` of `type`, clamped; NaN when it is not a finite number or not a param. */
export function engineValue(type: string, index: number, value: number): number {
  const d = descriptors.get(type)?.[index];
  return d === undefined || !Number.isFinite(value) ? NaN : clampParam(d, value);
}

/** Every param of `type` in engine order: the given value (clamped) or the catalog default. Empty for an unknown type. */
export function engineValues(type: string, params: Readonly<Record<string, number>>): number[] {
  return (descriptors.get(type) ?? []).map((d) => {
    const v = Object.hasOwn(params, d.id) ? (params[d.id] as number) : d.default;
    return clampParam(d, Number.isFinite(v) ? v : d.default);
  });
}
