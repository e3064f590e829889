import { openDB, type IDBPDatabase } from 'idb';
import { DB_NAME, DB_VERSION, type OutboardDB } from './schema.ts';
import { upgradeDatabase } from './upgrade.ts';

/** Why the store stopped working, for the UI to explain. */
export type StoreInterruption = 'blocking' | 'terminated';

/** Hooks the app passes to {@link openDatabase}. */
export interface OpenOptions {
  /** Called after this tab closed its connection because a newer version (another tab) needs the database. */
  readonly onInterrupted?: (why: StoreInterruption) => void;
  /** Database name; tests use their own. */
  readonly name?: string;
}

/**
 * Opens (creating or upgrading) the app's database. When another tab opens a
 * newer version, this connection is closed at once (`blocking`) so that tab's
 * upgrade is not stuck, and the app is told so it can ask for a reload.
 */
export async function openDatabase(options: OpenOptions = {}): Promise<IDBPDatabase<OutboardDB>> {
  const db: IDBPDatabase<OutboardDB> = await openDB<OutboardDB>(options.name ?? DB_NAME, DB_VERSION, {
    upgrade: (database, oldVersion, _newVersion, tx) => upgradeDatabase(database, oldVersion, tx),
    blocking: () => {
      db.close();
      options.onInterrupted?.('blocking');
    },
    terminated: () => options.onInterrupted?.('terminated'),
  });
  return db;
}
