/**
 * Fuzzing the socket boundary: whatever JSON arrives — random values, or a
 * valid op with one field replaced by something random — the relay answers
 * with an ack or a typed error naming the frame (only an in-gesture value
 * may go unanswered), keeps serving; a refused frame changes nothing and an
 * acked one is durable and applied.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../src/protocol/errors.ts';
import { ID_PATTERN } from '../../src/protocol/ids.ts';
import { isGestureValue, type AnyOp } from '../../src/protocol/ops.ts';
import { parseClientMessage } from '../../src/protocol/parse.ts';
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
type Answer = { type?: string; id?: string; seq?: number; superseded?: boolean; data?: { code?: string } };

/** Frames the editor received from index `start` on that match. */
function since(start: number, match: (f: Answer) => boolean): Promise<Answer> {
  return editor.next((f) => editor.frames.indexOf(f) >= start && match(f as Answer)) as Promise<Answer>;
}

/** Sends a probe that is always refused at once; answers every frame the relay said between the send and it. */
async function probeAfter(start: number): Promise<Answer[]> {
  const probe = `probe_${n++}`;
  editor.send({ id: probe, type: 'AUTH', session_id: S, data: { token: 'x' } });
  await since(start, (f) => f.type === 'error' && f.id === probe);
  return editor.frames.slice(start).filter((f) => (f.type === 'ack' || f.type === 'error') && f.id !== probe) as Answer[];
}

/**
 * Sends one frame and resolves to its answer: the ack or error naming its id,
 * or, for a frame whose id cannot be read, the error without one. Only an
 * in-gesture value may go unanswered (it is fanned out, never acked): then
 * null. Anything else unanswered fails the test.
 */
async function answerTo(frame: unknown): Promise<Answer | null> {
  const start = editor.frames.length;
  editor.send(JSON.stringify(frame));
  const parsed = parseClientMessage(frame);
  const id = typeof (frame as { id?: unknown } | null)?.id === 'string' && ID_PATTERN.test((frame as { id: string }).id) ? (frame as { id: string }).id : undefined;
  const gesture = parsed.ok && parsed.value.type !== 'PRESENCE' && parsed.value.type !== 'AUTH' && 'ephemeral' in parsed.value
    && parsed.value.ephemeral === true && isGestureValue(parsed.value as AnyOp);
  if (parsed.ok && parsed.value.type === 'PRESENCE') return null;
  if (gesture) {
    // Refused at once when the model refuses it, else fanned out with no answer: the probe tells which.
    const said = await probeAfter(start);
    return said.find((f) => f.id === id) ?? null;
  }
  if (id !== undefined) return since(start, (f) => (f.type === 'ack' || f.type === 'error') && f.id === id);
  const said = await probeAfter(start);
  expect(said).toHaveLength(1);
  return said[0]!;
}

const leaf = fc.oneof(fc.string({ maxLength: 80 }), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.constantFrom('__proto__', 'constructor', 't1', 'p1', 'cutoff', 'BATCH'));
const value = fc.letrec((tie) => ({ v: fc.oneof({ depthSize: 'small' }, leaf, fc.array(tie('v'), { maxLength: 4 }), fc.dictionary(fc.string({ maxLength: 12 }), tie('v'), { maxKeys: 4 })) })).v;

let acked = 0;

describe('random frames', () => {
  it('are answered with an ack or a typed error naming them; refused ones change nothing, acked ones are applied', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          value,
          // Valid values in range: these must be acked, durable and applied.
          fc.double({ min: 20, max: 20_000, noNaN: true }).map((v) => param(`ok_${n++}`, S, v)),
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
          const after = await stored(t.url, S);
          if (answer === null || answer.type === 'error') {
            if (answer) expect(ERROR_CODES).toContain(answer.data?.code);
            expect(after).toEqual(before);
            return;
          }
          // Acked: durable, one seq further, and (unless a newer write won) the value is in the document.
          expect(answer).toMatchObject({ type: 'ack', id: (frame as { id: string }).id, seq: before.seq + 1 });
          expect(after.seq).toBe(before.seq + 1);
          const op = frame as { type: string; data: { parameter_value: number } };
          if (op.type === 'PLUGIN_PARAMETER' && !answer.superseded) {
            const tracks = after.document.tracks as { id: string; chain: { id: string; params: Record<string, number> }[] }[];
            expect(tracks.find((tr) => tr.id === 't1')?.chain.find((p) => p.id === 'p1')?.params.cutoff).toBe(op.data.parameter_value);
          }
          acked += 1;
        },
      ),
      { numRuns: 150 },
    );
    // The property saw acks (of the valid values at least), not only refusals.
    expect(acked).toBeGreaterThan(0);
    expect(editor.socket.readyState).toBe(editor.socket.OPEN);
  }, 60_000);
});
