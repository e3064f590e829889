/**
 * What the relay's HTTP side needs of whichever store backs it: the embedded
 * SQLite file (`sqlite.ts`) or Redis shared by several nodes (`redis.ts`).
 */

/** A store as /health and shutdown see it. */
export interface StoreHandle {
  /** Throws an Error whose message says why when the store cannot serve now (for /health). */
  ping(): void;
  /** Closes the store; safe to call once the relay drained. */
  close(): Promise<void>;
}

/** One logged op: its seq, the stamped op as JSON, and who made it. */
export interface LogEntry {
  readonly seq: number;
  readonly op: string;
  readonly user: string;
}
