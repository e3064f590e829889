import { formatParam } from '../../plugins/index.ts';
import type { ParamDescriptor } from '../../protocol/plugin.ts';

/** The catalog's formatting, with whole-number params (voices) shown as whole numbers. */
export function formatValue(d: ParamDescriptor, v: number): string {
  if (!d.choices && d.step !== undefined && Number.isInteger(d.step)) return `${Math.round(v)}${d.unit ? ` ${d.unit}` : ''}`;
  return formatParam(d, v);
}
