/**
 * Connection and abuse limits (SPEC §7): connections per IP and in total, and
 * the IP block after repeated auth failures or protocol violations. Failures
 * are counted with rate-limiter-flexible; blocks are kept here too so that
 * `/admin/websocket-security` can say why and until when.
 */
import { RateLimiterMemory } from 'rate-limiter-flexible';
import type { RelayConfig } from '../config.ts';

/** Why a connection or a message was refused; counted for the admin view. */
export type RejectionCause =
  | 'blocked' | 'origin' | 'unauthorized' | 'forbidden' | 'session_not_found' | 'too_many_per_ip'
  | 'too_many_total' | 'rate_limited' | 'invalid_message' | 'message_too_large' | 'draining' | 'bad_request';

interface Block {
  readonly reason: string;
  readonly until: number;
}

/** Tracks live connections and failures per IP. */
export class ConnectionGuard {
  private readonly perIp = new Map<string, number>();
  private readonly blocks = new Map<string, Block>();
  private readonly failures: RateLimiterMemory;
  private total = 0;
  readonly rejections = new Map<RejectionCause, number>();
  /** Blocks imposed since start, by the refusal that tipped the count. */
  readonly blocksByCause = new Map<RejectionCause, number>();

  constructor(private readonly config: RelayConfig, private readonly now: () => number = Date.now) {
    this.failures = new RateLimiterMemory({ points: config.blockThreshold - 1, duration: config.blockWindowMs / 1000 });
  }

  /** Why `ip` may not connect now, or undefined when it may. */
  admit(ip: string): RejectionCause | undefined {
    if (this.isBlocked(ip)) return 'blocked';
    if (this.total >= this.config.maxConnections) return 'too_many_total';
    if ((this.perIp.get(ip) ?? 0) >= this.config.maxConnectionsPerIp) return 'too_many_per_ip';
    return undefined;
  }

  /** Whether `ip` is blocked right now (expired blocks are forgotten). */
  isBlocked(ip: string): boolean {
    const block = this.blocks.get(ip);
    if (!block) return false;
    if (block.until > this.now()) return true;
    this.blocks.delete(ip);
    return false;
  }

  /** Counts one connection in (call only after {@link admit}). */
  opened(ip: string): void {
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
    if (cause === 'unauthorized' || cause === 'forbidden' || cause === 'invalid_message' || cause === 'message_too_large' || cause === 'origin') {
      this.failures.consume(ip).catch(() => {
        if (!this.isBlocked(ip)) {
          this.blocks.set(ip, { reason: `${this.config.blockThreshold} auth failures or protocol violations within ${this.config.blockWindowMs / 1000}s (last: ${cause})`, until: this.now() + this.config.blockDurationMs });
          this.blocksByCause.set(cause, (this.blocksByCause.get(cause) ?? 0) + 1);
          void this.failures.delete(ip);
        }
      });
    }
  }

  /** Live counts for the admin view and /health. */
  snapshot() {
    const now = this.now();
    for (const ip of [...this.blocks.keys()]) this.isBlocked(ip);
    return {
      total: this.total,
      perIp: Object.fromEntries(this.perIp),
      blocked: [...this.blocks].map(([ip, b]) => ({ ip, reason: b.reason, expires_at: new Date(b.until).toISOString(), expires_in_s: Math.ceil((b.until - now) / 1000) })),
      rejections: Object.fromEntries(this.rejections),
    };
  }

  get connections(): number {
    return this.total;
  }
}
