import { describe, expect, it } from 'vitest';
import { createSession } from '../../src/model/index.ts';
import { transportPosition } from '../../src/app/transport-clock.ts';

describe('the shared transport position', () => {
  const doc = createSession({ id: 'ses_a', name: 'A' });

  it('is the time since started_at while playing, on this device\'s clock', () => {
    expect(transportPosition({ ...doc, playing: true, started_at: 10_000 }, 12_500)).toBe(2.5);
  });

  it('is 0 when stopped, when the document does not say (saved before positions were shared), or when this clock is behind', () => {
    expect(transportPosition({ ...doc, playing: false, started_at: 10_000 }, 12_500)).toBe(0);
    expect(transportPosition({ ...doc, playing: true }, 12_500)).toBe(0);
    expect(transportPosition({ ...doc, playing: true, started_at: 20_000 }, 12_500)).toBe(0);
    expect(transportPosition(null, 12_500)).toBe(0);
  });
});
