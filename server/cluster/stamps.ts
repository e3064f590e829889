/** When logged ops were made, for the operator's listing and the cluster's backup. */
import { parseHlc } from '../../src/model/hlc.ts';

/** When a logged op was stamped (ms since the epoch), from the HLC in its JSON text; undefined without a readable one. */
export function stampedAt(opJson: string): number | undefined {
  const hlc = /"hlc":"([^"]+)"/.exec(opJson)?.[1];
  const wall = hlc === undefined ? Number.NaN : parseHlc(hlc).wall;
  return Number.isFinite(wall) ? wall : undefined;
}
