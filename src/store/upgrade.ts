import type { IDBPDatabase, IDBPTransaction, StoreNames } from 'idb';
import { migrateSessionRecord } from './migrations.ts';
import type { OutboardDB } from './schema.ts';

type UpgradeTx = IDBPTransaction<OutboardDB, StoreNames<OutboardDB>[], 'versionchange'>;

/**
 * The `upgrade` callback. Every step checks before it creates, and record
 * migrations are idempotent, so a step that runs twice (an interrupted
 * upgrade, a database half-written by another build) does no harm.
 */
export function upgradeDatabase(db: IDBPDatabase<OutboardDB>, oldVersion: number, tx: UpgradeTx): void {
  const has = (name: string) => db.objectStoreNames.contains(name as StoreNames<OutboardDB>);
  if (!has('sessions')) db.createObjectStore('sessions', { keyPath: 'id' });
  if (oldVersion < 2) void migrateSessions(tx);
  if (!has('presets')) db.createObjectStore('presets', { keyPath: 'id' }).createIndex('by_type', 'plugin_type');
  if (!has('settings')) db.createObjectStore('settings', { keyPath: 'key' });
  if (!has('outbox')) {
    db.createObjectStore('outbox', { keyPath: 'seq', autoIncrement: true }).createIndex('by_session', 'session_id');
  }
  if (!has('samples')) db.createObjectStore('samples', { keyPath: 'id' });
}

/** Rewrites version-1 session records in place; unreadable ones are left for the reader to report. */
async function migrateSessions(tx: UpgradeTx): Promise<void> {
  let cursor = await tx.objectStore('sessions').openCursor();
  while (cursor) {
    const migrated = migrateSessionRecord(cursor.value);
    if (migrated.ok && migrated.changed) await cursor.update(migrated.record);
    cursor = await cursor.continue();
  }
}
