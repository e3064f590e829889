/**
 * A client that behaves like the app's sync under failure, for the cluster's
 * fault tests and bench: it keeps every op until it is acked, and when its
 * socket closes it reconnects (to the next relay URL in its list, then round
 * the list again) with `since`, and sends every unacked op again under the
 * same id. ENGINE_ERROR answers (storage down) keep the op queued.
 */
import { performance } from 'node:perf_hooks';
import { open, param, type Client, type Frame } from './relay-client.ts';
import { until } from './redis-server.ts';

/** One writer's record. */
export class ResilientWriter {
  /** op id -> the seq its ack gave. */
  readonly acked = new Map<string, number>();
  /** op ids whose ack came twice with different seqs (must stay empty). */
  readonly conflicting: string[] = [];
  private readonly unacked = new Map<string, Frame>();
  /** Answers other than ack or a retryable error (must stay empty in the fault tests). */
  readonly refused: Frame[] = [];
  /** Milliseconds from a lost socket to SYNCED on the next one. */
  readonly resumes: number[] = [];
  private client: Client | undefined;
  private synced = false;
  private stopped = false;
  private index = 0;
  private lastSeq = 0;
  private sent = 0;

  constructor(private readonly bases: readonly string[], private readonly session: string, private readonly token: string, private readonly prefix: string) {}

  /** Connects to the first URL that answers; resolves once SYNCED. */
  async start(): Promise<void> {
    await this.connect();
  }

  /** Sends the next op (a cutoff value); queued when not connected. */
  send(): void {
    const id = `${this.prefix}${this.sent++}`;
    const frame = param(id, this.session, 20 + (this.sent % 1000));
    this.unacked.set(id, frame);
    if (this.synced) this.client?.send(frame);
  }

  /** Ops sent and not acked yet. */
  get pending(): number {
    return this.unacked.size;
  }

  /** Waits until every op sent so far is acked. */
  async settled(timeoutMs = 20_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.unacked.size > 0) {
      if (Date.now() > deadline) throw new Error(`${this.unacked.size} ops never acked (${[...this.unacked.keys()].slice(0, 5).join(', ')}…)`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  stop(): void {
    this.stopped = true;
    this.client?.close();
  }

  private async connect(lostAt?: number): Promise<void> {
    for (let attempt = 0; !this.stopped; attempt++) {
      const base = this.bases[this.index % this.bases.length]!;
      try {
        const client = await open(base, this.session, { token: this.token, ...(this.lastSeq > 0 ? { since: this.lastSeq } : {}) });
        await this.attach(client);
        if (lostAt !== undefined) this.resumes.push(performance.now() - lostAt);
        return;
      } catch {
        // Refused or unreachable: the next URL, with a short backoff once the list went round.
        this.index++;
        if (attempt % this.bases.length === this.bases.length - 1) await new Promise((r) => setTimeout(r, Math.min(50 * (attempt + 1), 500)));
      }
    }
  }

  private attach(client: Client): Promise<void> {
    this.client = client;
    client.socket.on('message', (data) => this.onFrame(JSON.parse(String(data)) as Frame));
    void client.closed.then(() => {
      if (this.client !== client) return;
      this.synced = false;
      this.client = undefined;
      if (!this.stopped) void this.connect(performance.now());
    });
    return client.next((f) => f.type === 'SYNCED', 10_000).then(() => {
      this.synced = true;
      for (const frame of this.unacked.values()) client.send(frame);
    });
  }

  private onFrame(f: Frame): void {
    if (typeof f.seq === 'number' && f.type !== 'ack') this.lastSeq = Math.max(this.lastSeq, f.seq);
    if (f.type === 'ack' && typeof f.id === 'string' && typeof f.seq === 'number') {
      const before = this.acked.get(f.id);
      if (before !== undefined && before !== f.seq) this.conflicting.push(f.id);
      this.acked.set(f.id, f.seq);
      this.unacked.delete(f.id);
    } else if (f.type === 'error' && typeof f.id === 'string') {
      const code = (f.data as { code?: string } | undefined)?.code;
      if (code !== 'ENGINE_ERROR' && code !== 'RATE_LIMITED') {
        this.refused.push(f);
        this.unacked.delete(f.id);
      }
      // Kept: sent again on the next connection, or shortly on this one.
      else setTimeout(() => {
        const frame = this.unacked.get(f.id as string);
        if (frame && this.synced) this.client?.send(frame);
      }, 100);
    }
  }
}

/**
 * A fault under load: every writer sends `perTick` ops each 10 ms; after
 * `before` acks in all, `fault` runs (a kill, a restart); after `after` more
 * acks the sending stops, and this resolves once every op sent is acked.
 * Progress is counted in acks, not in time, so a busy machine only slows it.
 */
export async function faultUnderLoad(writers: readonly ResilientWriter[], perTick: number, before: number, fault: () => Promise<void>, after: number): Promise<void> {
  const tick = setInterval(() => {
    for (const w of writers) for (let k = 0; k < perTick; k++) w.send();
  }, 10);
  const acked = () => writers.reduce((n, w) => n + w.acked.size, 0);
  try {
    await until(() => acked() >= before, `${before} acks before the fault`, 30_000);
    await fault();
    const atFault = acked();
    await until(() => acked() >= atFault + after, `${after} acks after the fault`, 30_000);
  } finally {
    clearInterval(tick);
  }
  await Promise.all(writers.map((w) => w.settled(30_000)));
}
