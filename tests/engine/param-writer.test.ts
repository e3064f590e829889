import { describe, expect, it } from 'vitest';
import { ParamRing } from '../../worklets/shared/param-ring.ts';
import { ParamWriter } from '../../src/engine/param-writer.ts';

function drain(ring: ParamRing): [number, number][] {
  const out: [number, number][] = [];
  ring.drain({ onEvent: (k, v) => void out.push([k, v]) });
  return out;
}

describe('the UI side of the ring never blocks and never loses a final value', () => {
  it('writes go straight into the ring, stamped with the worklet quantum the UI last saw', () => {
    const ring = ParamRing.create(8, true);
    const writer = new ParamWriter(ring, () => 77);
    writer.write(1, 0.5);
    const seen: number[] = [];
    ring.drain({ onEvent: (_k, _v, stamp) => void seen.push(stamp) });
    expect(seen).toEqual([77]);
  });

  it('a fader riding a full ring keeps only its newest value, delivered once there is room', () => {
    const ring = ParamRing.create(2, true);
    const writer = new ParamWriter(ring, () => 0);
    for (let v = 0; v < 100; v++) writer.write(7, v);
    expect(writer.backlog).toBe(1);
    expect(drain(ring)).toEqual([[7, 0], [7, 1]]);
    writer.flush();
    expect(drain(ring)).toEqual([[7, 99]]);
    expect(writer.backlog).toBe(0);
  });

  it('behind a backlog, events keep their order: note on, off, on ends on', () => {
    const ring = ParamRing.create(2, true);
    const writer = new ParamWriter(ring, () => 0);
    writer.write(1, 0);
    writer.write(2, 0); // ring full
    writer.write(10, 1); // on
    writer.write(11, 0); // off
    writer.write(10, 1); // on again
    drain(ring);
    writer.flush();
    expect(drain(ring)).toEqual([[11, 0], [10, 1]]);
  });

  it('without shared memory the records leave as one port message per task', async () => {
    const posts: number[] = [];
    const writer = new ParamWriter(ParamRing.create(16, false), () => 0, { post: (_b, count) => void posts.push(count) });
    writer.write(1, 1);
    writer.write(2, 2);
    writer.write(3, 3);
    await Promise.resolve();
    expect(posts).toEqual([3]);
  });
});
