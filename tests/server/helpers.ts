/**
 * The server tests' harness: the relays and the recording WebSocket client of
 * bench/relay-client.ts (the benches use them too), plus a relay per test file.
 */
import { afterAll, beforeAll } from 'vitest';
import { cleanup, startRelay, type TestRelay } from '../../bench/relay-client.ts';

export * from '../../bench/relay-client.ts';

/**
 * One relay for a whole test file: started before its tests, stopped and its
 * data removed after. Read `.current` inside tests.
 */
export function useRelay(env: Record<string, string> = {}): { current: TestRelay } {
  const holder = {} as { current: TestRelay };
  beforeAll(async () => {
    holder.current = await startRelay(env);
  });
  afterAll(async () => {
    await holder.current.stop();
    cleanup(holder.current.dataDir);
  });
  return holder;
}
