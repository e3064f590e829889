import { describe, expect, it } from 'vitest';
import { backoffDelay } from '../../src/sync/backoff.ts';
import { RelaySocket, readRelayFrame, type WebSocketCtor } from '../../src/sync/relay-socket.ts';
import { decodeClaims, isExpired } from '../../src/sync/jwt.ts';
import { GestureStream } from '../../src/sync/gesture-stream.ts';
import { WebSocket, WebSocketServer } from 'ws';
import { token } from '../server/helpers.ts';
import { createSession, HlcClock, type StampedOp } from '../../src/model/index.ts';
import { SyncSession } from '../../src/sync/sync-session.ts';

describe('backoff', () => {
  it('grows exponentially with jitter and caps at 30 s', () => {
    const opts = { baseMs: 500, capMs: 30_000, random: () => 1 };
    expect(backoffDelay(0, opts)).toBe(500);
    expect(backoffDelay(3, opts)).toBe(4000);
    for (const a of [10, 20, 60, 1000]) expect(backoffDelay(a, opts)).toBe(30_000);
    expect(backoffDelay(0, { ...opts, random: () => 0 })).toBe(250);
  });

  it('probes every 2 s at most for two minutes after the relay was last reachable, then backs off to 30 s', () => {
    const opts = { baseMs: 500, capMs: 30_000, random: () => 1, recentCapMs: 2_000, recentMs: 120_000 };
    for (const a of [3, 10, 1000]) expect(backoffDelay(a, opts, 5_000)).toBe(2_000);
    expect(backoffDelay(10, opts, 119_000)).toBe(2_000);
    expect(backoffDelay(10, opts, 121_000)).toBe(30_000);
    expect(backoffDelay(10, opts)).toBe(30_000);
  });

  it('a socket that cannot reach the relay keeps retrying with growing, capped delays', async () => {
    const delays: number[] = [];
    let closes = 0;
    const done = new Promise<void>((resolve) => {
      const socket = new RelaySocket({
        url: () => 'ws://127.0.0.1:9/ws', WebSocket: WebSocket as unknown as WebSocketCtor,
        backoff: { baseMs: 5, capMs: 40, random: () => 1 },
      }, {
        frame: () => undefined, open: () => undefined,
        closed: (_code, opened) => {
          expect(opened).toBe(false);
          queueMicrotask(() => {
            delays.push(socket.lastDelay);
            closes += 1;
            if (closes === 6) {
              socket.stop();
              resolve();
            }
          });
        },
      });
      socket.start();
    });
    await done;
    expect(delays).toEqual([5, 10, 20, 40, 40, 40]);
  });
});

describe('frames and tokens', () => {
  it('validates relay frames by type and refuses malformed ones', () => {
    expect(readRelayFrame({ type: 'SYNCED', seq: 3 }).ok).toBe(true);
    expect(readRelayFrame({ type: 'SYNCED', seq: -1 }).ok).toBe(false);
    expect(readRelayFrame({ type: 'ack' }).ok).toBe(false);
    expect(readRelayFrame(null).ok).toBe(false);
    const op = readRelayFrame({ id: 'm1', type: 'PLUGIN_PARAMETER', session_id: 's1', hlc: '001795765106246:00000:tab', seq: 4, data: { changed_by: 'ana' } });
    expect(op.ok && op.value.type).toBe('OP');
  });

  it('decodes a token for display only', async () => {
    const claims = decodeClaims(await token('s1', 'ana', 'editor', 60));
    expect(claims).toMatchObject({ sub: 'ana', sid: 's1', role: 'editor' });
    expect(isExpired(claims!)).toBe(false);
    expect(isExpired(claims!, Date.now() + 120_000)).toBe(true);
    expect(decodeClaims('not.a.token')).toBeNull();
    expect(decodeClaims('')).toBeNull();
  });

  it('sends at most the newest in-gesture value per control per frame, and never after the final one', () => {
    const sent: number[] = [];
    let tick: (() => void) | null = null;
    const stream = new GestureStream((o) => sent.push(o.type === 'PLUGIN_PARAMETER' ? o.data.parameter_value : -1), (cb) => (tick = cb));
    const param = (v: number) => ({ id: `o${v}`, type: 'PLUGIN_PARAMETER', hlc: '001795765106246:00000:tab', data: { track_id: 't', plugin_id: 'p', parameter_id: 'cutoff', parameter_value: v } }) as StampedOp;
    for (const v of [1, 2, 3]) stream.push(param(v));
    tick!();
    expect(sent).toEqual([3]);
    stream.push(param(4));
    stream.settle(param(5));
    tick!();
    expect(sent).toEqual([3]);
  });
});

/** A scripted stand-in for the relay on a loopback port: each test decides what it says. */
async function fakeRelay(): Promise<{ server: WebSocketServer; port: number }> {
  const server = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await new Promise<void>((r) => server.once('listening', () => r()));
  return { server, port: (server.address() as { port: number }).port };
}

describe('a relay that sends garbage', () => {
  it('logs and ignores bad frames, and still syncs on the good ones', async () => {
    const { server, port } = await fakeRelay();
    const doc = createSession({ id: 'ses_g', name: 'From relay' });
    server.on('connection', (socket) => {
      socket.send('{not json');
      socket.send(Buffer.from([1, 2, 3]));
      socket.send(JSON.stringify({ type: 'WELCOME', data: { session_id: 'ses_g', user_id: 'u', role: 'editor', seq: 1 } }));
      socket.send(JSON.stringify({ type: 'SNAPSHOT', seq: 1, data: { document: doc } }));
      // An op broadcast whose payload is not an op: the envelope passes, the op does not.
      socket.send(JSON.stringify({ id: 'm1', type: 'PLUGIN_PARAMETER', session_id: 'ses_g', hlc: '001795765106246:00000:x', seq: 2, data: { changed_by: 'x', nope: 1 } }));
      socket.send(JSON.stringify({ type: 'SYNCED', seq: 1 }));
    });
    const invalid: string[] = [];
    let shown: unknown = null;
    const jwt = await token('ses_g', 'u', 'editor');
    const synced = new Promise<void>((resolve) => {
      const session = new SyncSession({
        sessionId: 'ses_g', base: `http://127.0.0.1:${port}`, WebSocket: WebSocket as unknown as WebSocketCtor,
        credential: { token: jwt, claims: decodeClaims(jwt)! },
        host: { doc: null, clock: new HlcClock('t'), applyRemote: () => undefined, replaceDocument: (d) => (shown = d) },
        outbox: { list: async () => [], remove: async () => undefined },
        onInvalidFrame: (_raw, reason) => invalid.push(reason),
        onStatus: (s) => {
          if (s.state !== 'synced') return;
          session.stop();
          resolve();
        },
      });
      void session.start();
    });
    await synced;
    server.close();
    expect(invalid).toHaveLength(3);
    expect((shown as { name: string } | null)?.name).toBe('From relay');
  });
});

describe('a relay that stops answering', () => {
  it('is given up after a missed heartbeat and joined again', async () => {
    const { server, port } = await fakeRelay();
    let connections = 0;
    const reconnected = new Promise<void>((resolve) => {
      server.on('connection', (socket) => {
        connections += 1;
        if (connections === 2) resolve();
        socket.send(JSON.stringify({ type: 'WELCOME', data: { session_id: 'ses_h', user_id: 'u', role: 'editor', seq: 0 } }));
        socket.send(JSON.stringify({ type: 'SNAPSHOT', seq: 0, data: { document: createSession({ id: 'ses_h', name: 'h' }) } }));
        socket.send(JSON.stringify({ type: 'SYNCED', seq: 0 }));
        // ...and then never a word again (AUTH heartbeats go unanswered): a half-open connection.
      });
    });
    const jwt = await token('ses_h', 'u', 'editor');
    const states: string[] = [];
    const session = new SyncSession({
      sessionId: 'ses_h', base: `http://127.0.0.1:${port}`, WebSocket: WebSocket as unknown as WebSocketCtor,
      credential: { token: jwt, claims: decodeClaims(jwt)! }, heartbeatMs: 30, heartbeatTimeoutMs: 60,
      backoff: { baseMs: 10, capMs: 20, random: () => 0 },
      host: { doc: null, clock: new HlcClock('t'), applyRemote: () => undefined, replaceDocument: () => undefined },
      outbox: { list: async () => [], remove: async () => undefined },
      onStatus: (s) => states.push(s.state),
    });
    await session.start();
    await reconnected;
    session.stop();
    server.close();
    expect(states).toContain('offline');
    expect(connections).toBe(2);
  });
});

describe('a page that wakes up on a connection the OS closed under it', () => {
  it('asks the relay at once instead of at the next heartbeat, and gives a silent connection up', async () => {
    const { server, port } = await fakeRelay();
    let connections = 0;
    let auths = 0;
    server.on('connection', (socket) => {
      connections += 1;
      socket.on('message', (raw) => void ((JSON.parse(String(raw)) as { type: string }).type === 'AUTH' && (auths += 1)));
      socket.send(JSON.stringify({ type: 'WELCOME', data: { session_id: 'ses_w', user_id: 'u', role: 'editor', seq: 0 } }));
      socket.send(JSON.stringify({ type: 'SNAPSHOT', seq: 0, data: { document: createSession({ id: 'ses_w', name: 'w' }) } }));
      socket.send(JSON.stringify({ type: 'SYNCED', seq: 0 }));
      // ...and nothing after: the first connection is half-open from here on.
    });
    const jwt = await token('ses_w', 'u', 'editor');
    const states: string[] = [];
    /** Resolved when the first, then the second connection is synced. */
    const resolvers: (() => void)[] = [];
    const syncedOn = [0, 1].map((i) => new Promise<void>((resolve) => (resolvers[i] = resolve)));
    const session = new SyncSession({
      // A heartbeat far beyond the test: only the wake-up can ask the relay.
      sessionId: 'ses_w', base: `http://127.0.0.1:${port}`, WebSocket: WebSocket as unknown as WebSocketCtor,
      credential: { token: jwt, claims: decodeClaims(jwt)! }, heartbeatMs: 3_600_000, heartbeatTimeoutMs: 50,
      backoff: { baseMs: 10, capMs: 20, random: () => 0 },
      host: { doc: null, clock: new HlcClock('t'), applyRemote: () => undefined, replaceDocument: () => undefined },
      outbox: { list: async () => [], remove: async () => undefined },
      onStatus: (s) => {
        states.push(s.state);
        if (s.state === 'synced') resolvers[connections - 1]?.();
      },
    });
    await session.start();
    await syncedOn[0];
    expect(auths).toBe(0);
    session.retryNow();
    await syncedOn[1];
    session.stop();
    server.close();
    expect(auths).toBe(1);
    expect(connections).toBe(2);
    expect(states).toContain('offline');
  });
});

describe('several relay URLs', () => {
  it('moves to the next relay when one cannot be reached, and syncs there', async () => {
    const { server, port } = await fakeRelay();
    // A port nobody listens on: a node that died.
    const dead = await fakeRelay();
    const deadPort = dead.port;
    await new Promise<void>((r) => dead.server.close(() => r()));
    server.on('connection', (socket) => {
      socket.send(JSON.stringify({ type: 'WELCOME', data: { session_id: 'ses_r', user_id: 'u', role: 'editor', seq: 0 } }));
      socket.send(JSON.stringify({ type: 'SNAPSHOT', seq: 0, data: { document: createSession({ id: 'ses_r', name: 'r' }) } }));
      socket.send(JSON.stringify({ type: 'SYNCED', seq: 0 }));
    });
    const jwt = await token('ses_r', 'u', 'editor');
    await new Promise<void>((resolve) => {
      const session = new SyncSession({
        sessionId: 'ses_r', base: `http://127.0.0.1:${deadPort}`, relays: [`http://127.0.0.1:${port}`], WebSocket: WebSocket as unknown as WebSocketCtor,
        credential: { token: jwt, claims: decodeClaims(jwt)! },
        backoff: { baseMs: 10, capMs: 20, random: () => 0 },
        host: { doc: null, clock: new HlcClock('t'), applyRemote: () => undefined, replaceDocument: () => undefined },
        outbox: { list: async () => [], remove: async () => undefined },
        onStatus: (s) => {
          if (s.state !== 'synced') return;
          session.stop();
          resolve();
        },
      });
      void session.start();
    });
    server.close();
  });
});

describe("a relay's value on the audio host", () => {
  it("reaches the document host (and so the engine) inside the socket's message handler: no await, timer or frame on the way", async () => {
    const { server, port } = await fakeRelay();
    const doc = createSession({ id: 'ses_v', name: 'V' });
    const broadcast = (seq: number, ephemeral: boolean) => JSON.stringify({
      id: `o${seq}`, type: 'UPDATE_SESSION', session_id: 'ses_v', hlc: `00179576510624${seq}:00000:x`, seq, ...(ephemeral ? { ephemeral: true } : {}),
      data: { changed_by: 'x', changes: { tempo_bpm: 100 + seq } },
    });
    server.on('connection', (socket) => {
      socket.send(JSON.stringify({ type: 'WELCOME', data: { session_id: 'ses_v', user_id: 'u', role: 'editor', seq: 1 } }));
      socket.send(JSON.stringify({ type: 'SNAPSHOT', seq: 1, data: { document: doc } }));
      socket.send(JSON.stringify({ type: 'SYNCED', seq: 1 }));
      socket.send(broadcast(2, true));
      socket.send(broadcast(3, false));
    });
    // The socket says when its message handler is running.
    let inHandler = false;
    const native = Object.getOwnPropertyDescriptor(WebSocket.prototype, 'onmessage')!;
    function Tapped(url: string): WebSocket {
      const ws = new WebSocket(url);
      Object.defineProperty(ws, 'onmessage', {
        get: () => native.get!.call(ws),
        set: (handler: ((ev: unknown) => void) | null) => native.set!.call(ws, handler && ((ev: unknown) => {
          inHandler = true;
          try {
            handler(ev);
          } finally {
            inHandler = false;
          }
        })),
      });
      return ws;
    }
    const jwt = await token('ses_v', 'u', 'editor');
    const applied: { tempo: unknown; inHandler: boolean }[] = [];
    await new Promise<void>((resolve) => {
      const session = new SyncSession({
        sessionId: 'ses_v', base: `http://127.0.0.1:${port}`, WebSocket: Tapped as unknown as WebSocketCtor,
        credential: { token: jwt, claims: decodeClaims(jwt)! },
        host: {
          doc: null, clock: new HlcClock('t'), replaceDocument: () => undefined,
          applyRemote: (op) => {
            applied.push({ tempo: (op.data as { changes: { tempo_bpm: number } }).changes.tempo_bpm, inHandler });
            if (applied.length < 2) return;
            session.stop();
            resolve();
          },
        },
        outbox: { list: async () => [], remove: async () => undefined },
      });
      void session.start();
    });
    server.close();
    // The in-gesture value and the durable one alike.
    expect(applied).toEqual([{ tempo: 102, inHandler: true }, { tempo: 103, inHandler: true }]);
  });
});
