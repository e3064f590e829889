/**
 * The bound on a session document's size (`OUTBOARD_MAX_DOCUMENT_BYTES`), held
 * on every path that grows it: ops over the socket and `POST …/ops` as well as
 * a published document. Without it a member could add tracks, plugins and
 * presets 64 KiB at a time until every join, snapshot and op on the session
 * costs the relay megabytes and seconds — and the document could no longer be
 * published back with `PUT`.
 */
import { outboardError, type OutboardError, type Result } from '../../src/protocol/errors.ts';
import type { Hlc } from '../../src/protocol/ids.ts';
import type { AnyOp } from '../../src/protocol/ops.ts';
import type { SessionDocument } from '../../src/protocol/session.ts';
import { mergeDocument, type StampedOp } from '../../src/model/index.ts';

/**
 * Whether `op` adds an element (a track, a plugin, a session preset), directly
 * or in a BATCH. Only these are measured: every other op changes what exists
 * within bounds the schemas set per element, and gesture values (which run at
 * 60 Hz) never pay for a measurement. Removals leave tombstones, but an add
 * after them is measured with the tombstones in.
 */
export function addsElement(op: AnyOp): boolean {
  switch (op.type) {
    case 'ADD_TRACK':
    case 'ADD_PLUGIN':
    case 'SAVE_PRESET':
      return true;
    case 'BATCH':
      return op.data.ops.some(addsElement);
    default:
      return false;
  }
}

/** `MESSAGE_TOO_LARGE` when `doc`, as stored and sent (JSON), is over `maxBytes`. */
export function documentTooLarge(doc: SessionDocument, maxBytes: number, what: string): OutboardError | undefined {
  const bytes = Buffer.byteLength(JSON.stringify(doc));
  if (bytes <= maxBytes) return undefined;
  return outboardError(
    'MESSAGE_TOO_LARGE',
    `${what} would make the session document ${bytes} bytes, over this relay's limit of ${maxBytes} (OUTBOARD_MAX_DOCUMENT_BYTES); remove tracks, plugins or presets first`,
  );
}

/** {@link mergeDocument} of a published document, refused with `MESSAGE_TOO_LARGE` when the merged document is over `maxBytes`. */
export function mergeWithinLimit(
  target: SessionDocument, incoming: SessionDocument, fallback: Hlc, maxBytes: number,
): Result<{ doc: SessionDocument; ops: StampedOp[] }> {
  const merged = mergeDocument(target, incoming, fallback);
  if (!merged.ok) return merged;
  const tooLarge = documentTooLarge(merged.value.doc, maxBytes, 'publishing this document');
  return tooLarge ? { ok: false, error: tooLarge } : merged;
}
