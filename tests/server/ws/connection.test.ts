import { EventEmitter } from 'node:events';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { WebSocket } from 'ws';
import { Connection, type ConnectionDeps } from '../../../server/ws/connection.ts';
import { loadConfig } from '../../../server/config.ts';
import { createLogger } from '../../../server/log.ts';
import { NO_OBSERVER } from '../../../server/session/observer.ts';
import type { Principal } from '../../../server/auth/tokens.ts';
import type { Hub } from '../../../server/session/types.ts';
import type { ConnectionGuard } from '../../../server/limits/guard.ts';

/**
 * One connection's timers, with the socket and the token check stood in for
 * (the real relay is in tests/server/sync.test.ts): the check is held open so
 * the socket can close while it runs, which a real relay cannot be made to do
 * on cue.
 */
afterEach(() => {
  vi.useRealTimers();
});

function member() {
  let release: () => void = () => undefined;
  const principal: Principal = { user: 'tab', role: 'editor', session: 's1', expiresAt: Date.now() + 3_600_000 };
  const verifier = {
    verify: () => new Promise((resolve) => (release = () => resolve({ ok: true, value: principal }))),
  } as unknown as ConnectionDeps['verifier'];
  const ws = Object.assign(new EventEmitter(), {
    OPEN: 1, readyState: 1, bufferedAmount: 0,
    send: () => undefined, close: () => undefined, ping: () => undefined, terminate: () => undefined,
  }) as unknown as WebSocket;
  const deps: ConnectionDeps = {
    config: loadConfig({}), verifier, log: createLogger('silent'), observer: NO_OBSERVER, countMessage: () => undefined,
    guard: { reject: () => undefined } as unknown as ConnectionGuard,
  };
  const hub = { id: 's1', committedSeq: 0 } as unknown as Hub;
  const conn = new Connection('c1', ws, principal, '127.0.0.1', hub, deps);
  return { conn, ws, release: () => release() };
}

describe('a connection that closes while its AUTH token is being checked', () => {
  it('arms no expiry timer afterwards, so a stopping relay can exit', async () => {
    // Fake timers only to count them: nothing here waits on one.
    vi.useFakeTimers();
    const { conn, ws, release } = member();
    expect(vi.getTimerCount()).toBe(1);
    ws.emit('message', Buffer.from(JSON.stringify({ id: 'hb1', type: 'AUTH', session_id: 's1', data: { token: 'a.b.c' } })), false);
    conn.dispose();
    expect(vi.getTimerCount()).toBe(0);
    // The check answers; its continuation runs within a few microtasks (no timer is advanced).
    release();
    for (let i = 0; i < 10; i += 1) await Promise.resolve();
    expect(vi.getTimerCount()).toBe(0);
  });
});
