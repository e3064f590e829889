/**
 * The store's retention bounds on a real SQLite file: ops a snapshot covers
 * are deleted once outside the window of ops, unless they are younger than
 * the window of days.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SqliteStore, type LoggedOp, type SessionWrite } from '../../../server/store/sqlite.ts';
import { cleanup, tempDir } from '../helpers.ts';

const dirs: string[] = [];
afterAll(() => dirs.forEach(cleanup));

const ops = (from: number, count: number): LoggedOp[] => Array.from({ length: count }, (_, i) => ({ seq: from + i, op: `{"id":"o_${from + i}"}`, user: 'u' }));

/** Writes 300 ops to session "s" in three commits, the last one storing a snapshot at the head. */
async function seqsKept(retention: { ops: number; days: number }): Promise<number[]> {
  const dir = tempDir();
  dirs.push(dir);
  const store = new SqliteStore(dir, 'normal', retention);
  try {
    const writes: SessionWrite[] = [
      { sessionId: 's', created: { document: '{"name":"S"}', seq: 0 }, ops: ops(1, 100), seq: 100 },
      { sessionId: 's', ops: ops(101, 100), seq: 200 },
      { sessionId: 's', ops: ops(201, 100), seq: 300, snapshot: { document: '{"name":"S"}', seq: 300 } },
    ];
    for (const w of writes) store.commit([w]);
    return store.opsAfter('s', 0).map((o) => o.seq);
  } finally {
    await store.close();
  }
}

describe('log retention in the store', () => {
  it('keeps the newest OUTBOARD_LOG_RETAIN_OPS ops once a snapshot covers the rest', async () => {
    const kept = await seqsKept({ ops: 50, days: 0 });
    expect(kept).toEqual(Array.from({ length: 50 }, (_, i) => 251 + i));
  });

  it('keeps ops younger than OUTBOARD_LOG_RETAIN_DAYS, whatever the window of ops', async () => {
    expect(await seqsKept({ ops: 0, days: 1 })).toHaveLength(300);
    expect(await seqsKept({ ops: 0, days: 0 })).toEqual([]);
  });

  it('gives the pages of pruned ops back to the file system (incremental vacuum in the background thread)', async () => {
    const dir = tempDir();
    dirs.push(dir);
    const store = new SqliteStore(dir, 'normal', { ops: 0, days: 0 });
    const file = join(dir, 'outboard.sqlite');
    try {
      const big = Array.from({ length: 20_000 }, (_, i) => ({ seq: i + 1, op: `{"id":"o_${i}","pad":"${'x'.repeat(200)}"}`, user: 'u' }));
      store.commit([{ sessionId: 's', created: { document: '{}', seq: 0 }, ops: big, seq: 20_000 }]);
      // Until a checkpoint the pages live in the WAL: wait for the file to hold them (the worker checkpoints every second).
      let grown = 0;
      while ((grown = statSync(file).size) < 4_000_000) await new Promise((r) => setTimeout(r, 100));
      store.commit([{ sessionId: 's', ops: [], seq: 20_000, snapshot: { document: '{}', seq: 20_000 } }]);
      expect(store.opsAfter('s', 0)).toEqual([]);
      while (statSync(file).size > grown / 4) await new Promise((r) => setTimeout(r, 100));
    } finally {
      await store.close();
    }
    expect(statSync(file).size).toBeLessThan(1_000_000);
  }, 60_000);
});
