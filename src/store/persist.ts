/** The minimal store surface persistence needs (keeps this module free of a cycle). */
interface SettingsStore {
  getSetting(key: string): Promise<unknown>;
  setSetting(key: string, value: unknown): Promise<void>;
}

const KEY = 'storage_persist_requested';
let asked = false;

/**
 * Asks the browser to keep this origin's storage (no eviction under pressure),
 * once, after the user has first saved something worth keeping.
 */
export async function requestPersistenceOnce(store: SettingsStore): Promise<void> {
  if (asked) return;
  asked = true;
  if ((await store.getSetting(KEY)) !== undefined) return;
  const granted = typeof navigator !== 'undefined' && navigator.storage?.persist ? await navigator.storage.persist() : false;
  await store.setSetting(KEY, { at: Date.now(), granted });
}

/** Storage used and available, and whether it is persistent. */
export interface StorageReport {
  readonly usage: number;
  readonly quota: number;
  readonly persisted: boolean;
}

/** Reads the browser's storage estimate. */
export async function storageReport(): Promise<StorageReport> {
  const storage = typeof navigator !== 'undefined' ? navigator.storage : undefined;
  const est = storage?.estimate ? await storage.estimate() : {};
  const persisted = storage?.persisted ? await storage.persisted() : false;
  return { usage: est.usage ?? 0, quota: est.quota ?? 0, persisted };
}

/** Whether a failed write failed because the browser's storage for this origin is full. */
export function isQuotaError(error: unknown): boolean {
  return error instanceof DOMException && error.name === 'QuotaExceededError';
}
