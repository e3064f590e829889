/**
 * What the relay's HTTP side needs of whichever store backs it: the embedded
 * SQLite file (`sqlite.ts`) or Redis shared by several nodes (`redis.ts`).
 */

/** A store as /health and shutdown see it. */
export interface StoreHandle {
  /** Throws an Error whose message says why when the store cannot serve now (for /health); a {@link StoreDown} keeps addresses out of it. */
  ping(): void;
  /** Closes the store; safe to call once the relay drained. */
  close(): Promise<void>;
}

/**
 * Why the store cannot serve now. `message` is what anyone may read (`/health`
 * answers it without a token, to load balancers); `detail` may name the store's
 * host and port, and is shown to an admin only.
 */
export class StoreDown extends Error {
  constructor(message: string, readonly detail?: string) {
    super(message);
  }
}

/** One logged op: its seq, the stamped op as JSON, and who made it. */
export interface LogEntry {
  readonly seq: number;
  readonly op: string;
  readonly user: string;
}
