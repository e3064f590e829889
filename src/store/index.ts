/** Local-first storage: IndexedDB through `idb`. */
export { LocalStore, type Listing, type SessionSummary } from './local-store.ts';
export { openDatabase, type StoreInterruption } from './db.ts';
export { DB_NAME, DB_VERSION, RECORD_VERSION } from './schema.ts';
export type { PresetRecord, SessionRecord, OutboxRecord, SampleRecord } from './schema.ts';
export type { SkippedRecord } from './migrations.ts';
export { isQuotaError, storageReport, type StorageReport } from './persist.ts';
