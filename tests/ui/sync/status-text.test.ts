import { describe, expect, it } from 'vitest';
import { canRetry, statusText } from '../../../src/ui/sync/status-text.ts';

describe('the status chip', () => {
  const status = (over: object) => ({ state: 'synced', waiting: 0, stuck: 0, role: 'editor', userId: 'ana', refusal: null, ...over }) as Parameters<typeof statusText>[0];
  it('offers "Retry now" while the relay is not answering: offline, or changes stuck', () => {
    expect(canRetry(null)).toBe(false);
    expect(canRetry(status({}))).toBe(false);
    expect(canRetry(status({ state: 'offline' }))).toBe(true);
    expect(canRetry(status({ waiting: 1, stuck: 1 }))).toBe(true);
    // A link that has ended is not retried: a new link is what helps.
    expect(canRetry(status({ state: 'offline', refusal: { code: 'UNAUTHORIZED', message: 'revoked' } }))).toBe(false);
  });

  it('says offline / connecting / synced / N changes waiting / stuck', () => {
    // A session with no relay is saved, never "waiting" for anything.
    expect(statusText(null).text).toBe('Local · saved');
    expect(statusText(status({})).text).toBe('Synced');
    expect(statusText(status({ role: 'viewer' })).text).toBe('Synced · view only');
    expect(statusText(status({ waiting: 1 })).text).toBe('Syncing · 1 change waiting');
    expect(statusText(status({ state: 'offline', waiting: 2 })).text).toBe('Offline · 2 changes waiting');
    expect(statusText(status({ state: 'connecting' })).text).toBe('Connecting…');
    // A viewer stays "view only" while the relay is away.
    expect(statusText(status({ state: 'offline', role: 'viewer' })).text).toBe('Offline · saved · view only');
    expect(statusText(status({ state: 'connecting', role: 'viewer' })).text).toBe('Connecting… · view only');
    expect(statusText(status({ waiting: 3, stuck: 2 })).text).toBe('Stuck · 2 changes not confirmed');
    expect(statusText(status({ state: 'offline', refusal: { code: 'UNAUTHORIZED', message: 'expired' } })).text).toBe('Not connected · link ended · nothing lost');
    expect(statusText(status({ state: 'offline', waiting: 4, refusal: { code: 'UNAUTHORIZED', message: 'revoked' } })).text)
      .toBe('Not connected · link ended · 4 changes kept here');
    expect(statusText(status({ state: 'offline', refusal: { code: 'FORBIDDEN', message: 'other session' } })).text).toBe('Not connected · FORBIDDEN');
  });
});
