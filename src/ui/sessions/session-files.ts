import { newerSessionFormat, parseSessionDocument } from '../../model/index.ts';
import { fail, type OutboardError, type Result } from '../../protocol/errors.ts';
import { newId } from '../../protocol/ids.ts';
import type { SessionDocument } from '../../protocol/session.ts';

/** What a session without a name is called. */
export const UNTITLED_SESSION = 'Untitled session';

/**
 * The name a session is shown and announced by: its own, or
 * {@link UNTITLED_SESSION} for a blank one (a file or a script may leave it
 * empty), so no button is left without a name.
 */
export function sessionTitle(name: string): string {
  return name.trim() || UNTITLED_SESSION;
}

/** Largest session file accepted for import. */
export const MAX_IMPORT_BYTES = 8 * 1024 * 1024;

/** Downloads a session as pretty JSON ("<name>.outboard.json"). */
export function exportSession(doc: SessionDocument): void {
  const blob = new Blob([JSON.stringify(doc, null, 2)], { type: 'application/json' });
  download(blob, `${safeName(doc.name)}.outboard.json`);
}

/** Saves a blob as a file. */
export function download(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** A file name from a session name. */
export function safeName(name: string): string {
  return name.replace(/[^\w\- ]+/g, '').trim().replace(/\s+/g, '-').slice(0, 60) || 'session';
}

/**
 * Reads a session file: validated and migrated by the model. The error names
 * what was wrong; a file too large or not JSON is refused before parsing.
 */
export async function importSessionFile(file: File): Promise<Result<SessionDocument, ImportRefusal>> {
  if (file.size > MAX_IMPORT_BYTES) {
    return { ok: false, error: { code: 'MESSAGE_TOO_LARGE', message: `${file.name} is larger than 8 MB` } };
  }
  const text = await file.text();
  const parsed = parseSessionDocument(text);
  if (parsed.ok) return parsed;
  const newerFormat = newerSessionFormat(text);
  return newerFormat === undefined ? parsed : fail({ ...parsed.error, newerFormat });
}

/** Why a file was not imported: the model's error, with the format when a newer Outboard wrote the file. */
export type ImportRefusal = OutboardError & { readonly newerFormat?: string };

/** A copy with a new id (the copy is a different session; its content and history stay). */
export function duplicateSession(doc: SessionDocument, name: string): SessionDocument {
  return { ...doc, id: newId('ses'), name: name.slice(0, 200) };
}
