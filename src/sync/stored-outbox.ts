/**
 * The sync's view of the app's stored outbox: the {@link OutboxPort} over
 * any store that lists and removes outbox rows (IndexedDB in the app), read
 * only after the local appends started so far have landed, and validated
 * row by row (a record the model cannot read is left out, never sent).
 */
import type { StampedOp } from '../model/index.ts';
import type { OutboxPort } from './types.ts';
import { readStoredOp } from './wire.ts';

/** The rows of a stored outbox, as the store keeps them. */
export interface OutboxStore {
  listOutbox(sessionId: string): Promise<{ key: number; op: unknown }[]>;
  removeOutbox(keys: readonly number[]): Promise<void>;
}

/** The outbox port over `store`; `written` resolves once pending appends have landed. */
export function storedOutbox(store: OutboxStore, written: () => Promise<void>): OutboxPort {
  return {
    async list(sessionId) {
      await written();
      const rows = await store.listOutbox(sessionId);
      return rows.map((r) => readStoredOp(r.op, sessionId)).filter((op): op is StampedOp => op !== null);
    },
    async remove(sessionId, ids) {
      await written();
      const rows = await store.listOutbox(sessionId);
      const wanted = new Set(ids);
      await store.removeOutbox(rows.filter((r) => wanted.has((r.op as { id?: string } | null)?.id ?? '')).map((r) => r.key));
    },
  };
}
