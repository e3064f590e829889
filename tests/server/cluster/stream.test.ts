/**
 * The Redis side of the op log: a session's stream and its dedup ids stay
 * bounded across 100,000 ops (snapshots trim them), and one damaged or
 * deleted stream never stops the fan-out of other sessions between nodes.
 */
import { describe, expect, it } from 'vitest';
import { join, param, seedSession, token, type Client } from '../helpers.ts';
import { HAS_REDIS, NO_REDIS, useCluster } from '../redis-helpers.ts';

const SNAPSHOT_EVERY = 256;
const DEDUP_WINDOW = 1000;
// OUTBOARD_SEND_QUEUE_MAX / 2: the log kept behind each snapshot for resumes.
const REPLAY = 512;

describe.skipIf(!HAS_REDIS)(`the op log in Redis${HAS_REDIS ? '' : ` (skipped: ${NO_REDIS})`}`, () => {
  const cluster = useCluster({ OUTBOARD_SNAPSHOT_EVERY: String(SNAPSHOT_EVERY), OUTBOARD_DEDUP_WINDOW: String(DEDUP_WINDOW), OUTBOARD_SEND_QUEUE_MAX: String(2 * REPLAY), OUTBOARD_MAX_MESSAGES_PER_SECOND: '1000000' });

  it('a session\'s stream stays bounded across 100,000 ops with snapshots', async () => {
    const { redis, a, b } = cluster;
    const S = 'bounded';
    const owner = await seedSession(a.ws, S);
    const r = redis.client();
    const WINDOW = 500;
    let longest = 0;
    let most = 0;
    for (let start = 0; start < 100_000; start += WINDOW) {
      // Sent in windows of 500 in flight, each window acked before the next: the load stays bounded on 2 cores.
      for (let i = start; i < start + WINDOW; i++) owner.send(param(`m${i}`, S, 20 + (i % 1000)));
      const last = await owner.answer(`m${start + WINDOW - 1}`, 30_000);
      expect(last.type).toBe('ack');
      owner.frames.length = 0;
      longest = Math.max(longest, await r.xlen(`ob:{${S}}:log`));
      most = Math.max(most, await r.zcard(`ob:{${S}}:ids`));
    }
    const [seq, snap] = (await r.hmget(`ob:{${S}}:meta`, 'seq', 'snap_seq')).map(Number);
    expect(seq).toBe(100_002);
    expect(snap).toBeGreaterThan(100_002 - SNAPSHOT_EVERY - WINDOW);
    // Bounded by the snapshot interval plus what resumes keep, plus one window in flight: not by the traffic.
    expect(longest).toBeLessThanOrEqual(SNAPSHOT_EVERY + REPLAY + WINDOW);
    expect(most).toBeLessThanOrEqual(DEDUP_WINDOW + SNAPSHOT_EVERY + WINDOW);
    console.log(`100,000 ops: longest stream ${longest} entries, most dedup ids ${most}, stream now ${await r.memory('USAGE', `ob:{${S}}:log`)} bytes`);
    // A fresh member on the other node still gets the whole document.
    const late = await join(b.ws, S, { token: await token(S, 'ed', 'editor') });
    expect(late.frames.find((f) => f.type === 'SNAPSHOT')).toMatchObject({ seq: 100_002 });
    late.close();
    owner.close();
  });

  it('one damaged or deleted stream never stops the fan-out of other sessions', async () => {
    const { redis, a, b } = cluster;
    const members: Client[] = [];
    const pair = async (S: string) => {
      const owner = await seedSession(a.ws, S);
      const other = await join(b.ws, S, { token: await token(S, 'ed', 'editor') });
      members.push(owner, other);
      return { owner, other };
    };
    const bad = await pair('damaged');
    const gone = await pair('deleted');
    const good = await pair('healthy');
    const r = redis.client();
    await r.del('ob:{damaged}:log');
    await r.set('ob:{damaged}:log', 'not a stream');
    await r.del('ob:{deleted}:log', 'ob:{deleted}:meta', 'ob:{deleted}:ids');

    bad.owner.send(param('on_damaged', 'damaged', 300));
    gone.owner.send(param('on_deleted', 'deleted', 300));
    good.owner.send(param('on_healthy', 'healthy', 300));
    expect(await bad.owner.answer('on_damaged')).toMatchObject({ type: 'error', data: { code: 'ENGINE_ERROR' } });
    expect((await gone.owner.answer('on_deleted')).type).toBe('error');
    expect(await good.owner.answer('on_healthy')).toMatchObject({ type: 'ack' });
    expect(await good.other.next((f) => f.id === 'on_healthy')).toMatchObject({ data: { parameter_value: 300 } });
    // And it keeps going, both ways.
    good.other.send(param('back', 'healthy', 400));
    expect(await good.owner.next((f) => f.id === 'back')).toMatchObject({ data: { parameter_value: 400 } });
    for (const m of members) m.close();
  });
});
