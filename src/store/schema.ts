import type { DBSchema } from 'idb';

/** The IndexedDB database the app keeps everything in. */
export const DB_NAME = 'outboard';

/**
 * Database versions. Each upgrade step only creates what is missing and
 * migrates records idempotently, so running an upgrade twice is harmless.
 * - 1: `sessions` ({id, title, document, modified}) — the first release.
 * - 2: session records become {id, name, doc, updated_at, record_version};
 *      `presets` (user preset library) and `settings` stores.
 * - 3: `outbox` (applied ops waiting for the relay) and `samples` (audio files).
 */
export const DB_VERSION = 3;

/** Version of the record shapes below, stored in every record beside its data. */
export const RECORD_VERSION = 2;

/** A session as stored: the document plus what the session list shows. */
export interface SessionRecord {
  readonly id: string;
  readonly name: string;
  /** The session document JSON; validated with the model on every read. */
  readonly doc: unknown;
  /** Milliseconds since the epoch. */
  readonly updated_at: number;
  readonly record_version: number;
}

/** A user preset in the device's library (shared by all sessions). */
export interface PresetRecord {
  readonly id: string;
  readonly name: string;
  readonly plugin_type: string;
  readonly params: Record<string, number>;
  readonly updated_at: number;
  readonly record_version: number;
}

/** An applied op waiting for the sync client (SPEC §2 `sync/`). */
export interface OutboxRecord {
  /** Auto-increment key: the local apply order. */
  readonly seq?: number;
  readonly session_id: string;
  /** The stamped op exactly as applied. */
  readonly op: unknown;
  readonly created_at: number;
  /** The register the op sets (sync's compaction key): a newer entry with the same key replaces this one. */
  readonly compact_key?: string;
}

/** An audio file for a `file` source, kept so sessions play offline. */
export interface SampleRecord {
  readonly id: string;
  readonly name: string;
  readonly type: string;
  readonly bytes: ArrayBuffer;
  readonly created_at: number;
}

/** One setting, by key. */
export interface SettingRecord {
  readonly key: string;
  readonly value: unknown;
}

/** The typed shape of the database for `idb`. */
export interface OutboardDB extends DBSchema {
  sessions: { key: string; value: SessionRecord };
  presets: { key: string; value: PresetRecord; indexes: { by_type: string } };
  settings: { key: string; value: SettingRecord };
  outbox: { key: number; value: OutboxRecord; indexes: { by_session: string } };
  samples: { key: string; value: SampleRecord };
}

export const STORES = ['sessions', 'presets', 'settings', 'outbox', 'samples'] as const;
export type StoreName = (typeof STORES)[number];
