/**
 * Nothing acked is ever lost (SPEC §10): the relay runs as its own process,
 * is SIGKILLed in the middle of a stream of edits, and restarted on the same
 * data dir; every op it acked is in the log at the seq it acked. And SIGTERM
 * drains: pending ops are acked, sockets close with 1001, the process exits 0.
 */
import Database from 'better-sqlite3';
import { join as pathJoin } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanup, join, param, recordAcks, seedSession, spawnRelay, stored, tempDir, token, type Client } from './helpers.ts';

const dirs: string[] = [];
afterAll(() => dirs.forEach(cleanup));

describe('a relay killed mid-stream', () => {
  it('restarted on the same data, it has every op it acked, at the acked seq', async () => {
    const dir = tempDir();
    dirs.push(dir);
    const env = { OUTBOARD_MAX_MESSAGES_PER_SECOND: '1000000', OUTBOARD_SNAPSHOT_EVERY: '64' };
    const first = await spawnRelay(dir, 0, env);
    const owner = await seedSession(first.ws, 'crash');
    const acked = recordAcks(owner, 'e_');
    let n = 0;
    const pump = setInterval(() => {
      for (let i = 0; i < 25; i++, n++) owner.send(param(`e_${n}`, 'crash', 20 + (n % 19000)));
    }, 2);
    while (acked.size < 300) await new Promise((r) => setTimeout(r, 5));
    first.child.kill('SIGKILL');
    clearInterval(pump);
    await first.exited;
    await owner.closed;
    expect(acked.size).toBeGreaterThanOrEqual(300);

    // The log itself, as the killed relay left it on disk. A join with since=0 is no way to read it:
    // past the replay limit the relay answers with a SNAPSHOT, and a busy machine acks fewer ops than it commits.
    const db = new Database(pathJoin(dir, 'outboard.sqlite'), { readonly: true });
    const rows = db.prepare('SELECT seq, op FROM ops WHERE session_id = ? ORDER BY seq').all('crash') as { seq: number; op: string }[];
    db.close();
    const logged = new Map(rows.map((r) => [(JSON.parse(r.op) as { id: string }).id, r.seq]));
    const lost = [...acked].filter(([id, seq]) => logged.get(id) !== seq);
    expect(lost).toEqual([]);

    const second = await spawnRelay(dir, 0, env);
    try {
      // The restarted relay serves the log's head: the last logged value, restored through snapshot + replay.
      const last = [...logged].filter(([id]) => id.startsWith('e_')).at(-1)!;
      const res = await fetch(`${second.url}/api/sessions/crash`, { headers: { Authorization: `Bearer ${await token('crash', 'auditor', 'owner')}` } });
      const body = (await res.json()) as { seq: number; document: { tracks: { chain: { params: { cutoff: number } }[] }[] } };
      expect(body.seq).toBe(rows.at(-1)!.seq);
      expect(last[1]).toBe(body.seq);
      expect(body.document.tracks[0]?.chain[0]?.params.cutoff).toBe(20 + (Number(last[0].slice(2)) % 19000));
      // A client resuming near the head gets the logged ops replayed at their seqs.
      const since = body.seq - 100;
      const resumed = await join(second.ws, 'crash', { token: await token('crash', 'auditor', 'owner'), since });
      const replayed = resumed.frames.filter((f) => typeof f.seq === 'number' && f.type !== 'WELCOME' && f.type !== 'SYNCED').map((f) => [f.id, f.seq]);
      expect(replayed).toEqual(rows.filter((r) => r.seq > since).map((r) => [(JSON.parse(r.op) as { id: string }).id, r.seq]));
      resumed.close();
    } finally {
      second.child.kill('SIGTERM');
      await second.exited;
    }
  }, 60_000);
});

describe('an op sent again under its id (a script retrying after its answer was lost)', () => {
  it('is answered with its first seq and applied once, in the same turn, later and on a restarted relay', async () => {
    const dir = tempDir();
    dirs.push(dir);
    const rename = (id: string, name: string) => ({ id, type: 'UPDATE_SESSION', session_id: 'retry', data: { changes: { name } } });
    const acksOf = (client: Client, id: string) => client.frames.filter((f) => f.type === 'ack' && f.id === id);
    const owner = async (base: string) => join(base, 'retry', { token: await token('retry', 'script', 'owner') });
    let relay = await spawnRelay(dir);
    let firstSeq = 0;
    try {
      const first = await seedSession(relay.ws, 'retry');
      first.send(rename('r_first', 'First'));
      firstSeq = (await first.answer('r_first')).seq!;
      first.send(rename('r_second', 'Second'));
      await first.answer('r_second');
      first.close();
      // On a new connection, as a script would after its socket died before the ack: without the id check the
      // relay would stamp it anew and "First" would overwrite the later "Second".
      const again = await owner(relay.ws);
      again.send(rename('r_first', 'First'));
      expect(await again.answer('r_first')).toMatchObject({ type: 'ack', seq: firstSeq });
      expect(await stored(relay.url, 'retry')).toMatchObject({ seq: firstSeq + 1, document: { name: 'Second' } });
      // Twice in one frame burst: the second waits for the first's commit and is answered with its seq.
      again.send(rename('r_third', 'Third'));
      again.send(rename('r_third', 'Third'));
      await expect.poll(() => acksOf(again, 'r_third').length).toBe(2);
      expect(acksOf(again, 'r_third').map((f) => f.seq)).toEqual([firstSeq + 2, firstSeq + 2]);
      expect((await stored(relay.url, 'retry')).seq).toBe(firstSeq + 2);
      again.close();
    } finally {
      relay.child.kill('SIGTERM');
      await relay.exited;
    }
    // The ids come back from the log when the session loads.
    relay = await spawnRelay(dir);
    try {
      const later = await owner(relay.ws);
      later.send(rename('r_first', 'First'));
      expect(await later.answer('r_first')).toMatchObject({ type: 'ack', seq: firstSeq });
      expect(await stored(relay.url, 'retry')).toMatchObject({ document: { name: 'Third' } });
      later.close();
    } finally {
      relay.child.kill('SIGTERM');
      await relay.exited;
    }
  }, 60_000);
});

describe('SIGTERM', () => {
  it('drains: acks what was sent, closes sockets with 1001, exits 0', async () => {
    const dir = tempDir();
    dirs.push(dir);
    const relay = await spawnRelay(dir);
    const owner = await seedSession(relay.ws, 'drain');
    owner.send(param('last_words', 'drain', 321));
    await owner.answer('last_words');
    relay.child.kill('SIGTERM');
    expect((await owner.closed).code).toBe(1001);
    expect(await relay.exited).toBe(0);
  }, 30_000);
});

describe('a second relay on a data dir a running relay uses', () => {
  it('refuses to start, naming the data dir, and the first keeps its log alone', async () => {
    const dir = tempDir();
    dirs.push(dir);
    const first = await spawnRelay(dir);
    const second = spawnRelay(dir);
    try {
      const owner = await seedSession(first.ws, 'shared');
      await expect(second).rejects.toThrow(/relay exited \(1\):[^]*is open in another process: another relay \(or a restore\) is using the data dir/);
      owner.send(param('after', 'shared', 440));
      expect(await owner.answer('after')).toMatchObject({ type: 'ack', seq: 3 });
      owner.close();
    } finally {
      void second.then((relay) => relay.child.kill('SIGKILL'), () => undefined);
      first.child.kill('SIGTERM');
    }
    expect(await first.exited).toBe(0);
  }, 30_000);
});
