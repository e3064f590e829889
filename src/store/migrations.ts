import { RECORD_VERSION, type PresetRecord, type SessionRecord } from './schema.ts';

/** Why a stored record could not be read. */
export interface SkippedRecord {
  readonly store: string;
  readonly key: string;
  readonly reason: string;
}

type Migrated<T> = { ok: true; record: T; changed: boolean } | { ok: false; reason: string };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Brings a stored session record of any known version to the current shape.
 * Idempotent: a current record comes back unchanged (`changed: false`).
 * Version 1 records were `{id, title, document, modified: ISO string}`.
 */
export function migrateSessionRecord(raw: unknown): Migrated<SessionRecord> {
  if (!isObject(raw)) return { ok: false, reason: 'not an object' };
  const version = typeof raw.record_version === 'number' ? raw.record_version : 1;
  if (version > RECORD_VERSION) return { ok: false, reason: `written by a newer version (record ${version})` };
  if (typeof raw.id !== 'string' || raw.id.length === 0) return { ok: false, reason: 'missing id' };
  if (version === RECORD_VERSION) {
    if (typeof raw.name !== 'string' || typeof raw.updated_at !== 'number' || !isObject(raw.doc)) {
      return { ok: false, reason: 'malformed session record' };
    }
    return { ok: true, record: raw as unknown as SessionRecord, changed: false };
  }
  // Version 1.
  const doc = raw.document;
  if (!isObject(doc)) return { ok: false, reason: 'session record without a document' };
  const name = typeof raw.title === 'string' ? raw.title : typeof doc.name === 'string' ? doc.name : 'Untitled';
  const modified = typeof raw.modified === 'string' ? Date.parse(raw.modified) : NaN;
  return {
    ok: true,
    changed: true,
    record: { id: raw.id, name, doc, updated_at: Number.isFinite(modified) ? modified : Date.now(), record_version: RECORD_VERSION },
  };
}

/** Validates a user preset record (presets were added in version 2; no older shape). */
export function migratePresetRecord(raw: unknown): Migrated<PresetRecord> {
  if (!isObject(raw)) return { ok: false, reason: 'not an object' };
  const { id, name, plugin_type: type, params } = raw;
  if (typeof id !== 'string' || typeof name !== 'string' || typeof type !== 'string' || !isObject(params)) {
    return { ok: false, reason: 'malformed preset record' };
  }
  if (!Object.values(params).every((v) => typeof v === 'number' && Number.isFinite(v))) {
    return { ok: false, reason: 'preset params must be numbers' };
  }
  return { ok: true, record: raw as unknown as PresetRecord, changed: false };
}
