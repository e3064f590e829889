import { outboardError, type OutboardError } from '../protocol/errors.ts';
import type { ParamDescriptor, PluginDescriptor } from '../protocol/plugin.ts';
import { getParam, getPlugin } from '../plugins/index.ts';

function describeRange(d: ParamDescriptor): string {
  if (d.choices) return `an index 0..${d.choices.length - 1} (${d.choices.join(', ')})`;
  return `${d.min}..${d.max}${d.unit ? ` ${d.unit}` : ''}`;
}

/** The catalog entry for a plugin type, or `PLUGIN_NOT_FOUND` naming it. */
export function lookupPlugin(type: string, field: string): PluginDescriptor | OutboardError {
  return getPlugin(type) ?? outboardError('PLUGIN_NOT_FOUND', `plugin type "${type}" is not in the catalog`, field);
}

/**
 * Checks one param value against the catalog: known param, finite number,
 * within range, an integer index for choices and stepped params.
 * Answers `INVALID_PARAMETER` naming the param and what it allows; its field
 * is `field` for a bad value and `idField` for an unknown param id (the same
 * in a params record, where the key is the id).
 */
export function checkParam(type: string, paramId: string, value: unknown, field: string, idField = field): OutboardError | undefined {
  const d = getParam(type, paramId);
  if (!d) {
    const known = getPlugin(type)?.params.map((p) => p.id).join(', ') ?? '';
    return outboardError('INVALID_PARAMETER', `${type} has no param "${paramId}" (it has: ${known})`, idField);
  }
  if (typeof value !== 'number') {
    return outboardError('INVALID_PARAMETER', `${paramId} must be a number, got ${value === null ? 'null' : typeof value}`, field);
  }
  if (!Number.isFinite(value)) {
    return outboardError('INVALID_PARAMETER', `${paramId} must be a finite number, got ${value}; allowed: ${describeRange(d)}`, field);
  }
  if (value < d.min || value > d.max) {
    return outboardError('INVALID_PARAMETER', `${paramId} = ${value} is out of range; allowed: ${describeRange(d)}`, field);
  }
  if ((d.choices || d.step === 1) && !Number.isInteger(value)) {
    return outboardError('INVALID_PARAMETER', `${paramId} must be a whole number; allowed: ${describeRange(d)}`, field);
  }
  return undefined;
}

/** Checks every value of a params record; the first error wins. */
export function checkParams(type: string, params: Record<string, unknown>, field: string): OutboardError | undefined {
  for (const [id, value] of Object.entries(params)) {
    const error = checkParam(type, id, value, `${field}.${id}`);
    if (error) return error;
  }
  return undefined;
}
