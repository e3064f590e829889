import type { OutboardError } from '../protocol/errors.ts';
import { outboardError } from '../protocol/errors.ts';
import type { SessionDocument } from '../protocol/session.ts';
import { keys } from './keys.ts';

/**
 * What applying an op did: `applied` changed the document; `superseded` was
 * valid but lost (to a later write or a removal) and changed nothing — it is
 * acked, not an error; `error` was refused and changed nothing.
 */
export type ApplyResult =
  | { readonly status: 'applied' }
  | { readonly status: 'superseded'; readonly reason: string }
  | { readonly status: 'error'; readonly error: OutboardError };

/** The next document and what happened. On anything but `applied`, `doc` is the input document. */
export interface Applied {
  readonly doc: SessionDocument;
  readonly result: ApplyResult;
}

export const applied = (doc: SessionDocument): Applied => ({ doc, result: { status: 'applied' } });
export const superseded = (doc: SessionDocument, reason: string): Applied => ({ doc, result: { status: 'superseded', reason } });
export const rejected = (doc: SessionDocument, error: OutboardError): Applied => ({ doc, result: { status: 'error', error } });

/**
 * A removal of an element already removed: the tombstone keeps the earliest
 * removal's clock, so concurrent removals converge whichever lands first.
 */
export function removedAgain(doc: SessionDocument, key: string, hlc: string): Applied {
  const current = doc.meta.tombstones[key];
  if (current === undefined || current <= hlc) return superseded(doc, 'already removed');
  return applied({ ...doc, meta: { ...doc.meta, tombstones: { ...doc.meta.tombstones, [key]: hlc } } });
}

/** `TRACK_NOT_FOUND`, or superseded when the track was removed (removals win). */
export function missingTrack(doc: SessionDocument, trackId: string, field = 'data.track_id'): Applied {
  if (doc.meta.tombstones[keys.track(trackId)]) return superseded(doc, `track "${trackId}" was removed`);
  return rejected(doc, outboardError('TRACK_NOT_FOUND', `track "${trackId}" does not exist`, field));
}

/** `PLUGIN_NOT_FOUND`, or superseded when the plugin was removed. */
export function missingPlugin(doc: SessionDocument, trackId: string, pluginId: string, field = 'data.plugin_id'): Applied {
  if (doc.meta.tombstones[keys.plugin(trackId, pluginId)]) return superseded(doc, `plugin "${pluginId}" was removed`);
  return rejected(doc, outboardError('PLUGIN_NOT_FOUND', `plugin "${pluginId}" is not on track "${trackId}"`, field));
}
