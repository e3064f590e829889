import { describe, expect, it } from 'vitest';
import { ParamRing, ringByteLength } from '../../worklets/shared/param-ring.ts';
import { eventKey, EventKind, keyIndex, keyKind, keyPlugin, keyTrack } from '../../worklets/shared/event-keys.ts';

function collect(ring: ParamRing): [number, number, number][] {
  const out: [number, number, number][] = [];
  ring.drain({ onEvent: (k, v, s) => void out.push([k, v, s]) });
  return out;
}

describe('the UI -> audio event ring', () => {
  it('delivers records in order, with their value and stamp', () => {
    const ring = ParamRing.create(8, true);
    expect(ring.push(1, 0.5, 10)).toBe(true);
    expect(ring.push(2, -6, 11)).toBe(true);
    expect(collect(ring)).toEqual([[1, 0.5, 10], [2, -6, 11]]);
    expect(ring.available()).toBe(0);
  });

  it('refuses a record when full and never overwrites unread ones', () => {
    const ring = ParamRing.create(4, true);
    for (let i = 0; i < 4; i++) expect(ring.push(i, i, 0)).toBe(true);
    expect(ring.push(99, 99, 0)).toBe(false);
    expect(collect(ring).map((r) => r[0])).toEqual([0, 1, 2, 3]);
    expect(ring.space()).toBe(4);
  });

  it('keeps working across many wraps of the indices', () => {
    const ring = ParamRing.create(4, false);
    let next = 0;
    let seen = 0;
    for (let round = 0; round < 1000; round++) {
      for (let i = 0; i < 3; i++) ring.push(next++, 0, 0);
      for (const [k] of collect(ring)) expect(k).toBe(seen++);
    }
    expect(seen).toBe(3000);
  });

  it('rejects a buffer that is not a header plus a power-of-two record count', () => {
    expect(() => new ParamRing(new ArrayBuffer(ringByteLength(3)))).toThrow(/power-of-two/);
  });

  it('packs and unpacks event keys', () => {
    const key = eventKey(EventKind.param, 64, 15, 8);
    expect([keyKind(key), keyTrack(key), keyPlugin(key), keyIndex(key)]).toEqual([EventKind.param, 64, 15, 8]);
    expect(keyKind(eventKey(EventKind.track, 255, 255, 4095))).toBe(EventKind.track);
  });
});
