import { parseSessionDocument } from '../model/index.ts';
import type { Result } from '../protocol/errors.ts';
import { outboardError } from '../protocol/errors.ts';
import type { SessionDocument } from '../protocol/session.ts';

/** Validates (and migrates to the current format) a session document read from storage or a file. */
export function readSessionDocument(json: unknown): Result<SessionDocument> {
  try {
    return parseSessionDocument(json);
  } catch {
    return { ok: false, error: outboardError('INVALID_MESSAGE', 'session document could not be read') };
  }
}
