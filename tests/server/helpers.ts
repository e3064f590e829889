/**
 * The server tests' harness: the relays and the recording WebSocket client of
 * bench/relay-client.ts (the benches use them too), plus a relay per test file.
 */
import { afterAll, beforeAll } from 'vitest';
import { cleanup, startRelay, type Client, type Frame, type TestRelay } from '../../bench/relay-client.ts';

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

/** The seq of every op the relay acks to `client` from now on, by op id (only ids starting with `prefix`), filled as acks arrive. */
export function recordAcks(client: Client, prefix = ''): Map<string, number> {
  const acked = new Map<string, number>();
  client.socket.on('message', (data) => {
    const f = JSON.parse(data.toString()) as Frame;
    if (f.type === 'ack' && typeof f.id === 'string' && f.id.startsWith(prefix)) acked.set(f.id, f.seq as number);
  });
  return acked;
}
