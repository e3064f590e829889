/**
 * Two relay nodes on one Redis, one member on each: both see each other's
 * edits, in one order, with one seq sequence; either node answers the same
 * document. Real redis-server, real relays over real sockets.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanup, join, param, seedSession, startRelay, stored, token, type Client, type Frame, type TestRelay } from '../helpers.ts';
import { HAS_REDIS, NO_REDIS, startNode, startRedis, useCluster, type TestRedis } from '../redis-helpers.ts';

/** seq -> op id as one client saw the log: its own acks plus the others' ops. */
function logOf(client: Client): Map<number, string> {
  const log = new Map<number, string>();
  for (const f of client.frames) {
    if (f.type === 'ack' && typeof f.seq === 'number') log.set(f.seq, f.id as string);
    else if (typeof f.seq === 'number' && f.id && f.type !== 'ack' && f.type !== 'error' && !(f as { ephemeral?: boolean }).ephemeral) log.set(f.seq, f.id);
  }
  return log;
}

describe.skipIf(!HAS_REDIS)(`two nodes, one member on each${HAS_REDIS ? '' : ` (skipped: ${NO_REDIS})`}`, () => {
  const cluster = useCluster();
  const S = 'duo';

  it('each sees the other\'s edits, in one order, with one seq sequence', async () => {
    const { a, b } = cluster;
    const owner = await seedSession(a.ws, S);
    const editor = await join(b.ws, S, { token: await token(S, 'ed', 'editor') });
    const N = 60;
    const acks: Promise<Frame>[] = [];
    for (let i = 0; i < N; i++) {
      // Both write at once: the two nodes race for the same head on every op.
      owner.send(param(`a${i}`, S, 100 + i));
      editor.send(param(`b${i}`, S, 1000 + i));
      acks.push(owner.answer(`a${i}`), editor.answer(`b${i}`));
    }
    const answers = await Promise.all(acks);
    expect(answers.filter((f) => f.type !== 'ack')).toEqual([]);
    const head = 2 + 2 * N;
    await owner.next((f) => f.id === `b${N - 1}`);
    await editor.next((f) => f.id === `a${N - 1}`);

    const seenByOwner = logOf(owner);
    const seenByEditor = logOf(editor);
    // One sequence: every seq from the editor's join onwards is there exactly once, with the same op on both.
    const fromJoin = [...seenByEditor.keys()].sort((x, y) => x - y);
    expect(fromJoin).toEqual(Array.from({ length: 2 * N }, (_, i) => i + 3));
    for (const seq of fromJoin) expect(seenByOwner.get(seq)).toBe(seenByEditor.get(seq));
    expect(new Set(seenByOwner.values()).size).toBe(seenByOwner.size);

    const [viaA, viaB] = await Promise.all([stored(a.url, S), stored(b.url, S)]);
    expect(viaA.seq).toBe(head);
    expect(viaB).toEqual(viaA);
    // Last writer wins by HLC on every node alike: the value is one that was sent.
    const plugin = (viaA.document as { tracks: { chain: { params: Record<string, number> }[] }[] }).tracks[0]!.chain[0]!;
    const sent = Array.from({ length: N }, (_, i) => [100 + i, 1000 + i]).flat();
    expect(sent).toContain(plugin.params.cutoff);
    owner.close();
    editor.close();
  });

  it('a member joining on the other node resumes from its seq with only the ops it missed', async () => {
    const { a, b } = cluster;
    const before = await stored(a.url, S);
    const owner = await join(a.ws, S, { token: await token(S, 'owner', 'owner') });
    owner.send(param('late1', S, 500));
    owner.send(param('late2', S, 501));
    await owner.answer('late2');
    const resumed = await join(b.ws, S, { token: await token(S, 'ed', 'editor'), since: before.seq });
    const ops = resumed.frames.filter((f) => f.type === 'PLUGIN_PARAMETER');
    expect(ops.map((f) => [f.seq, f.id])).toEqual([[before.seq + 1, 'late1'], [before.seq + 2, 'late2']]);
    expect(resumed.frames.some((f) => f.type === 'SNAPSHOT')).toBe(false);
    owner.close();
    resumed.close();
  });

  it('an op acked on one node is in a read on the other right after the ack', async () => {
    const { a, b } = cluster;
    const owner = await join(a.ws, S, { token: await token(S, 'owner', 'owner') });
    // A member on B keeps the session loaded there, so B answers from its own copy, not a fresh load.
    const watcher = await join(b.ws, S, { token: await token(S, 'ed', 'editor') });
    for (let i = 0; i < 20; i++) {
      owner.send(param(`ryw${i}`, S, 700 + i));
      const ack = await owner.answer(`ryw${i}`);
      expect((await stored(b.url, S)).seq).toBeGreaterThanOrEqual(ack.seq as number);
    }
    owner.close();
    watcher.close();
  });

  it('a since beyond the log gets a SNAPSHOT, and the session carries on for everyone', async () => {
    const { a, b } = cluster;
    const head = (await stored(a.url, S)).seq;
    const editor = await join(b.ws, S, { token: await token(S, 'ed', 'editor') });
    const ahead = await join(b.ws, S, { token: await token(S, 'ed2', 'editor'), since: head + 1000 });
    expect(ahead.frames.find((f) => f.type === 'SNAPSHOT')).toMatchObject({ seq: head });
    const owner = await join(a.ws, S, { token: await token(S, 'owner', 'owner') });
    owner.send(param('after_bogus', S, 640));
    expect(await owner.answer('after_bogus')).toMatchObject({ type: 'ack', seq: head + 1 });
    for (const c of [editor, ahead]) expect(await c.next((f) => f.id === 'after_bogus')).toMatchObject({ seq: head + 1 });
    for (const c of [owner, editor, ahead]) c.close();
  });

  it('in-gesture values and presence cross nodes without entering the log', async () => {
    const { a, b } = cluster;
    const before = await stored(a.url, S);
    const owner = await join(a.ws, S, { token: await token(S, 'owner', 'owner') });
    const editor = await join(b.ws, S, { token: await token(S, 'ed', 'editor') });
    const near = await join(a.ws, S, { token: await token(S, 'near', 'viewer') });
    owner.send({ ...param('g1', S, 777), ephemeral: true });
    const value = await editor.next((f) => f.id === 'g1');
    expect(value).toMatchObject({ ephemeral: true, data: { parameter_value: 777, changed_by: 'owner' } });
    // Node B forwards the frame node A built for its own members, byte for byte.
    expect(value).toEqual(await near.next((f) => f.id === 'g1'));
    near.close();
    owner.send({ id: 'pr1', type: 'PRESENCE', session_id: S, data: { touching: { track_id: 't1', plugin_id: 'p1', parameter_id: 'cutoff' } } });
    expect(await editor.next((f) => f.type === 'PRESENCE' && (f.data as { user_id?: string }).user_id === 'owner')).toBeTruthy();
    expect((await stored(b.url, S)).seq).toBe(before.seq);
    owner.close();
    editor.close();
  });
});

describe.skipIf(!HAS_REDIS)(`with a second Redis for the channels${HAS_REDIS ? '' : ` (skipped: ${NO_REDIS})`}`, () => {
  const S = 'split';
  let main: TestRedis;
  let channels: TestRedis;
  let a: TestRelay;
  let b: TestRelay;

  beforeAll(async () => {
    [main, channels] = await Promise.all([startRedis(), startRedis('everysec')]);
    const env = { OUTBOARD_REDIS_CHANNELS_URL: channels.url };
    [a, b] = await Promise.all([startNode(main, env), startNode(main, env)]);
  });
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    for (const n of [a, b]) if (n) cleanup(n.dataDir);
    await Promise.all([main?.dispose(), channels?.dispose()]);
  });

  it('in-gesture values and presence go through it; logged ops stay on the main Redis', async () => {
    const onMain: string[] = [];
    const watcher = main.client();
    watcher.on('message', (_channel: string, message: string) => onMain.push(message[0]!));
    await watcher.subscribe(`ob:{${S}}:ch`);
    const owner = await seedSession(a.ws, S);
    const editor = await join(b.ws, S, { token: await token(S, 'ed', 'editor') });
    owner.send({ ...param('g_split', S, 555), ephemeral: true });
    expect(await editor.next((f) => f.id === 'g_split')).toMatchObject({ ephemeral: true });
    owner.send({ id: 'pr_split', type: 'PRESENCE', session_id: S, data: { touching: { track_id: 't1', plugin_id: 'p1', parameter_id: 'cutoff' } } });
    await editor.next((f) => f.type === 'PRESENCE' && (f.data as { user_id?: string }).user_id === 'owner');
    owner.send(param('d_split', S, 556));
    expect(await editor.next((f) => f.id === 'd_split')).toMatchObject({ seq: 3 });
    expect(new Set(onMain)).toEqual(new Set(['o']));
    owner.close();
    editor.close();
  });
});

describe.skipIf(!HAS_REDIS)(`nodes whose Redis user may not skip replies${HAS_REDIS ? '' : ` (skipped: ${NO_REDIS})`}`, () => {
  const S = 'acl';
  let redis: TestRedis;
  let a: TestRelay;
  let b: TestRelay;

  beforeAll(async () => {
    redis = await startRedis();
    // Everything but CLIENT REPLY: the nodes publish values through ioredis instead of writing them unanswered.
    await redis.client().call('ACL', 'SETUSER', 'relay', 'on', '>relay-pw', '~*', '&*', '+@all', '-client|reply');
    const url = `redis://relay:relay-pw@127.0.0.1:${redis.port}`;
    [a, b] = await Promise.all([startRelay({ OUTBOARD_REDIS_URL: url }), startRelay({ OUTBOARD_REDIS_URL: url })]);
  });
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    for (const n of [a, b]) if (n) cleanup(n.dataDir);
    await redis?.dispose();
  });

  it('still get in-gesture values across, each member the same frame, and keep acking ops', async () => {
    const owner = await seedSession(a.ws, S);
    const local = await join(a.ws, S, { token: await token(S, 'near', 'viewer') });
    const remote = await join(b.ws, S, { token: await token(S, 'far', 'viewer') });
    owner.send({ ...param('g_acl', S, 321), ephemeral: true });
    const [near, far] = await Promise.all([local.next((f) => f.id === 'g_acl'), remote.next((f) => f.id === 'g_acl')]);
    expect(far).toMatchObject({ ephemeral: true, data: { parameter_value: 321, changed_by: 'owner' } });
    expect(far).toEqual(near);
    owner.send(param('d_acl', S, 322));
    expect(await owner.answer('d_acl')).toMatchObject({ type: 'ack', seq: 3 });
    expect(await remote.next((f) => f.id === 'd_acl')).toMatchObject({ seq: 3 });
    for (const c of [owner, local, remote]) c.close();
  });
});
