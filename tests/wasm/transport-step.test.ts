import { describe, expect, it } from 'vitest';
import { engine } from './helpers.ts';

describe('the playhead: the step the transport is on', () => {
  it('follows the engine position at the session tempo, and is -1 when stopped', async () => {
    const core = await engine(48000);
    expect(core.step).toBe(-1);
    core.setTempo(120);
    core.play();
    // A sixteenth at 120 BPM is 6000 samples: 46.875 blocks of 128.
    const blocks = (n: number) => { for (let i = 0; i < n; i++) core.process(); };
    blocks(46);
    expect(core.step).toBe(0);
    blocks(1);
    expect(core.step).toBe(1);
    // Sixteen steps later the pattern wraps.
    blocks(Math.ceil(16 * 46.875));
    expect(core.step).toBe(1);
    // Twice the tempo, twice the steps per sample (from the position).
    core.setTempo(240);
    expect(core.step).toBe(Math.floor(core.position / 3000) % 16);
    core.stop();
    expect(core.step).toBe(-1);
  });
});
