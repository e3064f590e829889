import { checkParam } from '../../src/model/validate.ts';
import { getPlugin, PLUGINS } from '../../src/plugins/index.ts';
import { fail, ok, outboardError, type Result } from '../../src/protocol/errors.ts';
import type { ParamDescriptor } from '../../src/protocol/plugin.ts';

/** One validated plugin of a `process` chain. */
export interface ChainStep {
  readonly type: string;
  /** Param id -> value in the param's unit (choices as indices). */
  readonly params: Record<string, number>;
}

/** "20 .. 20000 Hz" or "lowpass | highpass | ... (or 0..4)". */
export function describeRange(d: ParamDescriptor): string {
  if (d.choices) return `${d.choices.join(' | ')} (or 0..${d.choices.length - 1})`;
  return `${d.min} .. ${d.max}${d.unit ? ` ${d.unit}` : ''}`;
}

// Written the way a user writes a value: decimal, with an optional exponent (Number() alone also takes 0x10 and " 5").
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/** A param value as a user writes it on the command line: a choice by name, or a decimal number; NaN for anything else. */
export function readParamValue(d: ParamDescriptor, raw: string): number {
  const byName = d.choices?.indexOf(raw) ?? -1;
  if (byName >= 0) return byName;
  return DECIMAL.test(raw) ? Number(raw) : NaN;
}

function parseValue(type: string, d: ParamDescriptor, raw: string): Result<number> {
  const invalid = (why: string) => fail(outboardError('INVALID_PARAMETER', `${type}: ${d.id}=${raw} ${why}; allowed: ${describeRange(d)}`, d.id));
  const value = readParamValue(d, raw);
  if (d.choices) {
    // A choice by name, or its index as a whole number.
    if (!d.choices.includes(raw) && !/^\d+$/.test(raw)) return invalid('is not one of the choices');
    return value <= d.max ? ok(value) : invalid('is out of range');
  }
  if (Number.isNaN(value)) return invalid('is not a number');
  if (value < d.min || value > d.max) return invalid('is out of range');
  // The model's own check last, so the CLI accepts exactly what a session may hold (a whole number for a stepped param).
  const refused = checkParam(type, d.id, value, d.id);
  return refused ? fail(outboardError('INVALID_PARAMETER', `${type}: ${refused.message}`, d.id)) : ok(value);
}

/**
 * Parses sox-style chain arguments, `TYPE[:param=value,...]`, against the
 * catalog. Unknown plugins, unknown params and out-of-range values are
 * refused with an error naming them and what is allowed.
 */
export function parseChain(args: readonly string[]): Result<ChainStep[]> {
  const steps: ChainStep[] = [];
  for (const arg of args) {
    const colon = arg.indexOf(':');
    const type = colon < 0 ? arg : arg.slice(0, colon);
    const descriptor = getPlugin(type);
    if (!descriptor) {
      return fail(outboardError('PLUGIN_NOT_FOUND', `unknown plugin "${type}" (known: ${PLUGINS.map((p) => p.id).join(', ')})`, type));
    }
    const params: Record<string, number> = {};
    const list = colon < 0 ? '' : arg.slice(colon + 1);
    for (const pair of list.split(',').filter((s) => s !== '')) {
      const eq = pair.indexOf('=');
      const id = eq < 0 ? pair : pair.slice(0, eq);
      const d = descriptor.params.find((p) => p.id === id);
      if (!d) {
        return fail(outboardError('INVALID_PARAMETER', `${type}: unknown param "${id}" (params: ${descriptor.params.map((p) => p.id).join(', ')})`, id));
      }
      if (eq < 0) return fail(outboardError('INVALID_PARAMETER', `${type}: param "${id}" needs a value (${id}=...; allowed: ${describeRange(d)})`, id));
      // Which one was meant is a guess either way (a pasted chain, a typo): refused rather than the last one winning.
      if (Object.hasOwn(params, id)) return fail(outboardError('INVALID_PARAMETER', `${type}: param "${id}" is given twice`, id));
      const value = parseValue(type, d, pair.slice(eq + 1));
      if (!value.ok) return value;
      params[id] = value.value;
    }
    steps.push({ type, params });
  }
  return ok(steps);
}
