import type { IDBPDatabase } from 'idb';
import type { Result } from '../protocol/errors.ts';
import { outboardError } from '../protocol/errors.ts';
import type { SessionDocument } from '../protocol/session.ts';
import { openDatabase, type OpenOptions } from './db.ts';
import { migratePresetRecord, migrateSessionRecord, type SkippedRecord } from './migrations.ts';
import { requestPersistenceOnce } from './persist.ts';
import { RECORD_VERSION, type OutboardDB, type PresetRecord, type SampleRecord } from './schema.ts';
import { readSessionDocument } from './validate.ts';

/** What the session list shows of a stored session. */
export interface SessionSummary {
  readonly id: string;
  readonly name: string;
  readonly updated_at: number;
  readonly tracks: number;
}

/** A listing plus the records that had to be skipped (shown to the user, never a blank app). */
export interface Listing<T> {
  readonly items: T[];
  readonly skipped: SkippedRecord[];
}

/**
 * The app's local store over IndexedDB: sessions, the user preset library,
 * the outbox, samples and settings. Every record read is validated; bad ones
 * are skipped and reported. Writes are tracked so tests can await `pending()`.
 */
export class LocalStore {
  #writes = new Set<Promise<unknown>>();

  private constructor(readonly db: IDBPDatabase<OutboardDB>) {}

  /** Opens the database (running upgrades and record migrations). */
  static async open(options: OpenOptions = {}): Promise<LocalStore> {
    return new LocalStore(await openDatabase(options));
  }

  /** Resolves when every write started so far has settled. */
  async pending(): Promise<void> {
    while (this.#writes.size) await Promise.allSettled([...this.#writes]);
  }

  #track<T>(write: Promise<T>): Promise<T> {
    this.#writes.add(write);
    void write.finally(() => this.#writes.delete(write)).catch(() => undefined);
    return write;
  }

  /** Every readable session, newest first. */
  async listSessions(): Promise<Listing<SessionSummary>> {
    const items: SessionSummary[] = [];
    const skipped: SkippedRecord[] = [];
    let cursor = await this.db.transaction('sessions').store.openCursor();
    while (cursor) {
      const key = String(cursor.key);
      const rec = migrateSessionRecord(cursor.value);
      const doc = rec.ok ? readSessionDocument(rec.record.doc) : null;
      if (!rec.ok) skipped.push({ store: 'sessions', key, reason: rec.reason });
      else if (doc && !doc.ok) skipped.push({ store: 'sessions', key, reason: doc.error.message });
      else if (doc?.ok) items.push({ id: doc.value.id, name: doc.value.name, updated_at: rec.record.updated_at, tracks: doc.value.tracks.length });
      cursor = await cursor.continue();
    }
    items.sort((a, b) => b.updated_at - a.updated_at);
    return { items, skipped };
  }

  /** One session's document, validated. */
  async getSession(id: string): Promise<Result<SessionDocument>> {
    const raw = await this.db.get('sessions', id);
    if (raw === undefined) return { ok: false, error: outboardError('SESSION_NOT_FOUND', `no session ${id} on this device`) };
    const rec = migrateSessionRecord(raw);
    if (!rec.ok) return { ok: false, error: outboardError('INVALID_MESSAGE', `session ${id}: ${rec.reason}`) };
    return readSessionDocument(rec.record.doc);
  }

  /** Saves a session document; after the first save, asks the browser to keep storage persistent. */
  putSession(doc: SessionDocument): Promise<void> {
    const write = this.db.put('sessions', {
      id: doc.id, name: doc.name, doc, updated_at: Date.now(), record_version: RECORD_VERSION,
    }).then(() => requestPersistenceOnce(this));
    return this.#track(write);
  }

  /** Deletes a session and its outbox entries. */
  deleteSession(id: string): Promise<void> {
    const write = (async () => {
      const tx = this.db.transaction(['sessions', 'outbox'], 'readwrite');
      await tx.objectStore('sessions').delete(id);
      let cursor = await tx.objectStore('outbox').index('by_session').openCursor(id);
      while (cursor) {
        await cursor.delete();
        cursor = await cursor.continue();
      }
      await tx.done;
    })();
    return this.#track(write);
  }

  /**
   * Appends applied ops to the outbox, in order, for the sync client. An op
   * with a compaction key (`keyOf`, from sync) replaces the session's waiting
   * entries with the same key in the same transaction: riding one fader for
   * hours leaves one entry, not one per value.
   */
  appendOutbox(sessionId: string, ops: readonly unknown[], keyOf: (op: unknown) => string | null = () => null): Promise<void> {
    const write = (async () => {
      const tx = this.db.transaction('outbox', 'readwrite');
      const now = Date.now();
      for (const op of ops) {
        const key = keyOf(op);
        if (key !== null) {
          // Compaction keeps the outbox small, so this walk over the session's entries stays short.
          let cursor = await tx.store.index('by_session').openCursor(sessionId);
          while (cursor) {
            if (cursor.value.compact_key === key) await cursor.delete();
            cursor = await cursor.continue();
          }
        }
        await tx.store.add({ session_id: sessionId, op, created_at: now, ...(key !== null ? { compact_key: key } : {}) });
      }
      await tx.done;
    })();
    return this.#track(write);
  }

  /** A session's outbox entries, in the order they were applied. */
  async listOutbox(sessionId: string): Promise<{ key: number; op: unknown }[]> {
    const rows = await this.db.getAllFromIndex('outbox', 'by_session', sessionId);
    return rows.filter((r) => r.seq !== undefined).map((r) => ({ key: r.seq!, op: r.op })).sort((a, b) => a.key - b.key);
  }

  /** Deletes outbox entries by key (the relay acked them, or refused them for good). */
  removeOutbox(keys: readonly number[]): Promise<void> {
    if (keys.length === 0) return Promise.resolve();
    const write = (async () => {
      const tx = this.db.transaction('outbox', 'readwrite');
      for (const key of keys) await tx.store.delete(key);
      await tx.done;
    })();
    return this.#track(write);
  }

  /** How many ops wait in the outbox (for one session, or all). */
  outboxCount(sessionId?: string): Promise<number> {
    return sessionId === undefined ? this.db.count('outbox') : this.db.countFromIndex('outbox', 'by_session', sessionId);
  }

  /** The user preset library. */
  async listPresets(): Promise<Listing<PresetRecord>> {
    const items: PresetRecord[] = [];
    const skipped: SkippedRecord[] = [];
    let cursor = await this.db.transaction('presets').store.openCursor();
    while (cursor) {
      const rec = migratePresetRecord(cursor.value);
      if (rec.ok) items.push(rec.record);
      else skipped.push({ store: 'presets', key: String(cursor.key), reason: rec.reason });
      cursor = await cursor.continue();
    }
    items.sort((a, b) => a.name.localeCompare(b.name));
    return { items, skipped };
  }

  /** Saves (or renames) a user preset. */
  putPreset(preset: Omit<PresetRecord, 'updated_at' | 'record_version'>): Promise<void> {
    const write = this.db.put('presets', { ...preset, updated_at: Date.now(), record_version: RECORD_VERSION })
      .then(() => requestPersistenceOnce(this));
    return this.#track(write);
  }

  deletePreset(id: string): Promise<void> {
    return this.#track(this.db.delete('presets', id));
  }

  /** Keeps an audio file for a `file` source. */
  putSample(sample: SampleRecord): Promise<void> {
    return this.#track(this.db.put('samples', sample).then(() => undefined));
  }

  getSample(id: string): Promise<SampleRecord | undefined> {
    return this.db.get('samples', id);
  }

  async getSetting(key: string): Promise<unknown> {
    return (await this.db.get('settings', key))?.value;
  }

  setSetting(key: string, value: unknown): Promise<void> {
    return this.#track(this.db.put('settings', { key, value }).then(() => undefined));
  }

  deleteSetting(key: string): Promise<void> {
    return this.#track(this.db.delete('settings', key));
  }

  /** Every setting whose key starts with `prefix` (one record per MIDI controller, say), unvalidated. */
  async listSettings(prefix: string): Promise<{ key: string; value: unknown }[]> {
    const rows = await this.db.getAll('settings', IDBKeyRange.bound(prefix, `${prefix}\uffff`));
    return rows.map((r) => ({ key: r.key, value: r.value }));
  }

  close(): void {
    this.db.close();
  }
}
