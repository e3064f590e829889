import type { Pattern } from '../protocol/session.ts';

/**
 * What an instrument track plays when its pattern is null, so Play always
 * makes sound: a C minor figure in sixteenths.
 */
export const DEFAULT_PATTERN: Pattern = {
  steps: [48, null, 55, null, 60, null, 63, 55, 48, null, 58, null, 60, 63, 67, null],
};
