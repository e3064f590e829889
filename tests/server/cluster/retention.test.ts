/**
 * Log retention on a two-node cluster (real redis-server, real relay processes): the
 * stream is trimmed behind each snapshot but keeps the resume window of
 * OUTBOARD_LOG_RETAIN_OPS; a resume from inside it replays on either node
 * (from memory on the writer's node, from the stream on the other), one from
 * before it gets a SNAPSHOT, and the document is the same on both.
 */
import { describe, expect, it, vi } from 'vitest';
import { join, param, seedSession, stored, token, type Client, type Frame } from '../helpers.ts';
import { HAS_REDIS, NO_REDIS, useClusterProcesses } from '../redis-helpers.ts';

const WINDOW = 200;
const SNAPSHOT_EVERY = 64;
const OPS = 5000;
const S = 'long';

const resumed = (client: Client): Frame[] => client.frames.filter((f) => f.type !== 'WELCOME' && f.type !== 'SYNCED' && f.type !== 'PRESENCE');

describe.skipIf(!HAS_REDIS)(`log retention on a cluster${HAS_REDIS ? '' : ` (skipped: ${NO_REDIS})`}`, () => {
  const cluster = useClusterProcesses({ OUTBOARD_LOG_RETAIN_OPS: String(WINDOW), OUTBOARD_SNAPSHOT_EVERY: String(SNAPSHOT_EVERY), OUTBOARD_MAX_MESSAGES_PER_SECOND: '1000000' });

  it(`after ${OPS} ops with a window of ${WINDOW} the stream holds at most the window plus one snapshot interval; resumes and the document hold`, async () => {
    const { a, b, redis } = cluster;
    const owner = await seedSession(a.ws, S);
    for (let sent = 0; sent < OPS;) {
      let last = '';
      for (let i = 0; i < 250; i++, sent++) {
        last = `v_${sent}`;
        owner.send(param(last, S, 20 + (sent % 19_000)));
      }
      expect((await owner.answer(last, 30_000)).type).toBe('ack');
    }
    const head = OPS + 2;
    // The snapshot (and the trim) follows the acks: it is written after the append that crossed the interval.
    await vi.waitFor(async () => expect(await redis.client().xlen(`ob:{${S}}:log`)).toBeLessThanOrEqual(WINDOW + SNAPSHOT_EVERY), { timeout: 10_000, interval: 50 });
    const before = await stored(a.url, S);
    expect(before.seq).toBe(head);

    for (const node of [a, b]) {
      const inside = await join(node.ws, S, { token: await token(S, 'ed', 'editor'), since: head - WINDOW / 2 });
      const frames = resumed(inside);
      expect(frames.some((f) => f.type === 'SNAPSHOT')).toBe(false);
      expect(frames.map((f) => f.seq)).toEqual(Array.from({ length: WINDOW / 2 }, (_, i) => head - WINDOW / 2 + 1 + i));
      inside.close();

      const outside = await join(node.ws, S, { token: await token(S, 'ed', 'editor'), since: head - 3 * WINDOW });
      expect(resumed(outside).map((f) => f.type)).toEqual(['SNAPSHOT']);
      expect(resumed(outside)[0]).toMatchObject({ seq: head, data: { document: before.document } });
      outside.close();
    }
    expect(await stored(b.url, S)).toEqual(before);
    owner.close();
  });
});
