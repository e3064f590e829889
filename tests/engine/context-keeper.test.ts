import { describe, expect, it } from 'vitest';
import { ContextKeeper } from '../../src/engine/context.ts';

/** An AudioContext as far as the keeper looks: a state, resume(), statechange events. */
class FakeContext extends EventTarget {
  state = 'suspended';
  resumes = 0;
  allowResume = true;
  async resume(): Promise<void> {
    this.resumes++;
    if (this.allowResume) this.set('running');
  }
  set(state: string): void {
    this.state = state;
    this.dispatchEvent(new Event('statechange'));
  }
}

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('keeping the AudioContext running', () => {
  it('resumes when sound is wanted (the Play gesture)', async () => {
    const ctx = new FakeContext();
    const keeper = new ContextKeeper(ctx as unknown as AudioContext);
    await keeper.want();
    expect(ctx.state).toBe('running');
  });

  it('after an iOS interruption (a phone call) ends, playback resumes by itself', async () => {
    const ctx = new FakeContext();
    const keeper = new ContextKeeper(ctx as unknown as AudioContext);
    await keeper.want();
    ctx.allowResume = false;
    ctx.set('interrupted'); // the call comes in
    await tick();
    expect(keeper.state).toBe('interrupted');
    ctx.allowResume = true;
    ctx.set('suspended'); // the call ends: iOS leaves the context suspended
    await tick();
    expect(ctx.state).toBe('running');
  });

  it('does not restart a context the user stopped wanting', async () => {
    const ctx = new FakeContext();
    const keeper = new ContextKeeper(ctx as unknown as AudioContext);
    await keeper.want();
    keeper.release();
    const before = ctx.resumes;
    ctx.set('suspended');
    await tick();
    expect(ctx.resumes).toBe(before);
    expect(ctx.state).toBe('suspended');
  });
});
