/**
 * Connection and abuse limits (SPEC §7): connections per IP and in total, and
 * the IP block after repeated auth failures or protocol violations. Failures
 * are counted with rate-limiter-flexible; blocks are kept here too so that
 * `/admin/websocket-security` can say why and until when.
 */
import { RateLimiterMemory } from 'rate-limiter-flexible';
import type { OutboardError } from '../../src/protocol/errors.ts';
import type { RelayConfig } from '../config.ts';

/** Why a connection or a message was refused; counted for the admin view. */
export type RejectionCause =
  | 'blocked' | 'origin' | 'unauthorized' | 'forbidden' | 'session_not_found' | 'too_many_per_ip'
  | 'too_many_total' | 'rate_limited' | 'invalid_message' | 'message_too_large' | 'draining' | 'bad_request';

/** Auth failures and protocol violations: the refusals that count toward an IP's block. */
export function countsTowardBlock(cause: RejectionCause): boolean {
  return cause === 'unauthorized' || cause === 'forbidden' || cause === 'invalid_message' || cause === 'message_too_large' || cause === 'origin';
}

/** Why an IP was blocked, as the admin view says it. */
export function blockReason(config: RelayConfig, cause: RejectionCause): string {
  return `${config.blockThreshold} auth failures or protocol violations within ${config.blockWindowMs / 1000}s (last: ${cause})`;
}

/** A blocked address's refusal: it says until when, so an operator whose misconfigured scraper tripped the block knows how long to wait. */
export interface BlockedError extends OutboardError {
  /** Seconds until the block ends (also sent as `Retry-After`). */
  readonly retry_after_s: number;
}

/** The refusal of an address blocked until `until` (ms since the epoch). */
export function blockedError(until: number, now = Date.now()): BlockedError {
  const seconds = Math.max(1, Math.ceil((until - now) / 1000));
  return {
    code: 'RATE_LIMITED',
    message: `this address is blocked until ${new Date(until).toISOString()} (${seconds} s from now) after repeated auth failures or protocol violations`,
    retry_after_s: seconds,
  };
}

interface Block {
  readonly reason: string;
  readonly until: number;
}

/** What `/admin/websocket-security` shows of the limits. */
export interface GuardSnapshot {
  readonly total: number;
  readonly perIp: Record<string, number>;
  readonly blocked: { ip: string; reason: string; expires_at: string; expires_in_s: number }[];
  readonly rejections: Record<string, number>;
  /** In a cluster: each live node's connection count. */
  readonly nodes?: Record<string, number>;
}

/**
 * Tracks live connections and failures per IP on this node. The checks are
 * asynchronous because in a cluster (cluster/guard.ts) they ask Redis.
 */
export class ConnectionGuard {
  protected readonly perIp = new Map<string, number>();
  private readonly blocks = new Map<string, Block>();
  private readonly failures: RateLimiterMemory;
  protected total = 0;
  readonly rejections = new Map<RejectionCause, number>();
  /** Blocks imposed since start, by the refusal that tipped the count. */
  readonly blocksByCause = new Map<RejectionCause, number>();

  constructor(protected readonly config: RelayConfig, protected readonly now: () => number = Date.now) {
    this.failures = new RateLimiterMemory({ points: config.blockThreshold - 1, duration: config.blockWindowMs / 1000 });
  }

  /** Why `ip` may not connect now, or undefined when it may (counts nothing). */
  async admit(ip: string): Promise<RejectionCause | undefined> {
    return this.admitNow(ip);
  }

  /** Like {@link admit}, and when `ip` may connect, counts the connection in (undo with {@link closed}). */
  async reserve(ip: string): Promise<RejectionCause | undefined> {
    const cause = this.admitNow(ip);
    if (!cause) this.opened(ip);
    return cause;
  }

  private admitNow(ip: string): RejectionCause | undefined {
    if (this.blockedNow(ip)) return 'blocked';
    if (this.total >= this.config.maxConnections) return 'too_many_total';
    if ((this.perIp.get(ip) ?? 0) >= this.config.maxConnectionsPerIp) return 'too_many_per_ip';
    return undefined;
  }

  /** Until when (ms since the epoch) `ip` is blocked, or undefined when it is not. */
  async blockedUntil(ip: string): Promise<number | undefined> {
    return this.blockedNow(ip) ? this.blocks.get(ip)?.until : undefined;
  }

  /** Whether `ip` is blocked right now (expired blocks are forgotten). */
  private blockedNow(ip: string): boolean {
    const block = this.blocks.get(ip);
    if (!block) return false;
    if (block.until > this.now()) return true;
    this.blocks.delete(ip);
    return false;
  }

  /** Counts one connection in. */
  protected opened(ip: string): void {
    this.total++;
    this.perIp.set(ip, (this.perIp.get(ip) ?? 0) + 1);
  }

  /** Counts one connection out. */
  closed(ip: string): void {
    this.total = Math.max(0, this.total - 1);
    const n = (this.perIp.get(ip) ?? 1) - 1;
    if (n <= 0) this.perIp.delete(ip);
    else this.perIp.set(ip, n);
  }

  /** Counts a refusal; auth failures and protocol violations also count toward the IP's block. */
  reject(ip: string, cause: RejectionCause): void {
    this.rejections.set(cause, (this.rejections.get(cause) ?? 0) + 1);
    if (countsTowardBlock(cause)) {
      this.failures.consume(ip).catch(() => {
        if (!this.blockedNow(ip)) {
          this.blocks.set(ip, { reason: blockReason(this.config, cause), until: this.now() + this.config.blockDurationMs });
          this.blocksByCause.set(cause, (this.blocksByCause.get(cause) ?? 0) + 1);
          void this.failures.delete(ip);
        }
      });
    }
  }

  /** IPs this node holds blocked right now (the metrics' gauge; a cluster's shared blocks are in the admin view). */
  get blockedHere(): number {
    for (const ip of [...this.blocks.keys()]) this.blockedNow(ip);
    return this.blocks.size;
  }

  /** Live counts for the admin view. */
  async snapshot(): Promise<GuardSnapshot> {
    const now = this.now();
    for (const ip of [...this.blocks.keys()]) this.blockedNow(ip);
    return {
      total: this.total,
      perIp: Object.fromEntries(this.perIp),
      blocked: [...this.blocks].map(([ip, b]) => ({ ip, reason: b.reason, expires_at: new Date(b.until).toISOString(), expires_in_s: Math.ceil((b.until - now) / 1000) })),
      rejections: Object.fromEntries(this.rejections),
    };
  }

  /** Connections open on this node. */
  get connections(): number {
    return this.total;
  }
}
