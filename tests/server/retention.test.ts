/**
 * Log retention on a real relay process and its SQLite file: a long session
 * keeps only its resume window of ops, resumes inside the window replay, one
 * from before it gets a SNAPSHOT, and the document is what it was.
 */
import Database from 'better-sqlite3';
import { join as pathJoin } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanup, join, param, seedSession, spawnRelay, stored, tempDir, token, type Client, type Frame } from './helpers.ts';

const dirs: string[] = [];
afterAll(() => dirs.forEach(cleanup));

const WINDOW = 1000;
const SNAPSHOT_EVERY = 256;
const OPS = 50_000;

/** Sends `count` fader values in pipelined chunks; resolves with the last value sent once all are acked. */
async function stream(owner: Client, session: string, count: number): Promise<number> {
  let value = 0;
  for (let sent = 0; sent < count;) {
    const chunk = Math.min(500, count - sent);
    let last = '';
    for (let i = 0; i < chunk; i++, sent++) {
      value = 20 + (sent % 19_000);
      last = `v_${sent}`;
      owner.send(param(last, session, value));
    }
    const answer = await owner.answer(last, 30_000);
    if (answer.type !== 'ack') throw new Error(`op refused: ${JSON.stringify(answer)}`);
  }
  return value;
}

const opsKept = (dir: string, session: string): number => {
  const db = new Database(pathJoin(dir, 'outboard.sqlite'), { readonly: true });
  try {
    return (db.prepare('SELECT count(*) AS n FROM ops WHERE session_id = ?').get(session) as { n: number }).n;
  } finally {
    db.close();
  }
};

const resumed = (client: Client): Frame[] => client.frames.filter((f) => f.type !== 'WELCOME' && f.type !== 'SYNCED' && f.type !== 'PRESENCE');

describe('log retention', () => {
  it('after 50,000 ops with a window of 1,000 the log holds at most the window plus one snapshot interval; resumes and the document hold', async () => {
    const dir = tempDir();
    dirs.push(dir);
    const env = {
      OUTBOARD_LOG_RETAIN_OPS: String(WINDOW), OUTBOARD_SNAPSHOT_EVERY: String(SNAPSHOT_EVERY),
      OUTBOARD_MAX_MESSAGES_PER_SECOND: '1000000', OUTBOARD_SEND_QUEUE_MAX: '8192',
    };
    let relay = await spawnRelay(dir, 0, env);
    try {
      const owner = await seedSession(relay.ws, 'long');
      const last = await stream(owner, 'long', OPS);
      owner.close();
      expect(opsKept(dir, 'long')).toBeLessThanOrEqual(WINDOW + SNAPSHOT_EVERY);
      const before = await stored(relay.url, 'long');
      expect(before.seq).toBe(OPS + 2);
      expect((before.document as { tracks: { chain: { params: { cutoff: number } }[] }[] }).tracks[0]?.chain[0]?.params.cutoff).toBe(last);

      // Restarted on the same file, the document is rebuilt from the snapshot and the kept ops: unchanged.
      relay.child.kill('SIGTERM');
      await relay.exited;
      relay = await spawnRelay(dir, 0, env);
      expect(await stored(relay.url, 'long')).toEqual(before);

      const jwt = await token('long', 'tablet', 'editor');
      const inside = await join(relay.ws, 'long', { token: jwt, since: before.seq - 900 });
      const replayed = resumed(inside);
      expect(replayed.map((f) => f.seq)).toEqual(Array.from({ length: 900 }, (_, i) => before.seq - 899 + i));
      expect(replayed.every((f) => f.type === 'PLUGIN_PARAMETER')).toBe(true);
      inside.close();

      const outside = await join(relay.ws, 'long', { token: jwt, since: before.seq - 1500 });
      expect(resumed(outside).map((f) => f.type)).toEqual(['SNAPSHOT']);
      expect(resumed(outside)[0]?.data).toEqual({ document: before.document });
      outside.close();
    } finally {
      relay.child.kill('SIGTERM');
      await relay.exited;
    }
  }, 240_000);
});
