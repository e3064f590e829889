import { describe, expect, it } from 'vitest';
import { RemoteMeters, STALE_MS } from '../../src/app/meters.ts';

describe('RemoteMeters', () => {
  it('tells its listeners when a METERS frame arrives, so a surface draws only then', () => {
    let now = 0;
    const meters = new RemoteMeters(() => now);
    let arrivals = 0;
    meters.on('levels', () => (arrivals += 1));
    expect(meters.levels()).toBeNull();
    meters.take({ at: 1, step: 3, levels: { master: [-6, -12] }, connection_id: 'host' });
    expect(arrivals).toBe(1);
    expect(meters.levels()?.get('master')).toEqual({ peak: -6, rms: -12 });
    expect(meters.step()).toBe(3);
    // No frame for longer than STALE_MS: the host stopped; the meters fall to silence, the playhead goes.
    now = STALE_MS + 1;
    expect(meters.levels()?.get('master')!.peak).toBeLessThan(-60);
    expect(meters.step()).toBeNull();
    expect(arrivals).toBe(1);
  });
});
