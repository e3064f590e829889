/**
 * Fuzzing the socket boundary: whatever JSON arrives — random values, or a
 * valid op with one field replaced by something random — the relay answers
 * with an ack or a typed error, keeps serving, and a refused frame changes
 * nothing.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../src/protocol/errors.ts';
import { cleanup, join, param, seedSession, startRelay, stored, token, type Client, type TestRelay } from './helpers.ts';

const S = 'fuzz';
let t: TestRelay;
let owner: Client;
let editor: Client;
beforeAll(async () => {
  t = await startRelay({ OUTBOARD_BLOCK_THRESHOLD: '100000', OUTBOARD_MAX_MESSAGES_PER_SECOND: '100000', OUTBOARD_MAX_HTTP_REQUESTS_PER_SECOND: '100000' });
  owner = await seedSession(t.ws, S);
  editor = await join(t.ws, S, { token: await token(S, 'fuzzer', 'editor') });
});
afterAll(async () => {
  owner.close();
  editor.close();
  await t.stop();
  cleanup(t.dataDir);
});

let n = 0;
/** Sends one frame tagged with a fresh id where possible; resolves to the answer. */
async function answerTo(frame: unknown): Promise<{ type?: string; data?: { code?: string } }> {
  const before = editor.frames.length;
  editor.send(JSON.stringify(frame));
  // A probe after it (an AUTH with a bad token, always refused): frames are answered in order, so once the
  // probe is answered the fuzz frame was too.
  const probe = `probe_${n++}`;
  editor.send({ id: probe, type: 'AUTH', session_id: S, data: { token: 'x' } });
  await editor.answer(probe);
  const answers = editor.frames.slice(before).filter((f) => (f.type === 'ack' || f.type === 'error') && f.id !== probe);
  return answers[0] ?? {};
}

const leaf = fc.oneof(fc.string({ maxLength: 80 }), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.constantFrom('__proto__', 'constructor', 't1', 'p1', 'cutoff', 'BATCH'));
const value = fc.letrec((tie) => ({ v: fc.oneof({ depthSize: 'small' }, leaf, fc.array(tie('v'), { maxLength: 4 }), fc.dictionary(fc.string({ maxLength: 12 }), tie('v'), { maxKeys: 4 })) })).v;

describe('random frames', () => {
  it('are answered with an ack or a typed error, and refused ones change nothing', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          value,
          fc.tuple(fc.constantFrom('id', 'type', 'session_id', 'hlc', 'data', 'ephemeral', 'data.track_id', 'data.parameter_id', 'data.parameter_value'), value).map(([path, v]) => {
            const frame = param(`fz_${n++}`, S, 440) as Record<string, unknown>;
            const [head, tail] = path.split('.') as [string, string | undefined];
            if (tail) frame.data = { ...(frame.data as object), [tail]: v };
            else frame[head] = v;
            return frame;
          }),
        ),
        async (frame) => {
          const before = await stored(t.url, S);
          const answer = await answerTo(frame);
          if (answer.type === 'error') {
            expect(ERROR_CODES).toContain(answer.data?.code);
            expect(await stored(t.url, S)).toEqual(before);
          }
        },
      ),
      { numRuns: 150 },
    );
    expect(editor.socket.readyState).toBe(editor.socket.OPEN);
  }, 60_000);
});
