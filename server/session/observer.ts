/**
 * What the session layer reports as it works, for the relay's metrics (a
 * port: `server/metrics/` implements it with prom-client, tests and tools
 * pass {@link NO_OBSERVER}). Called on the hot path: implementations only
 * bump counters.
 */
import type { ErrorCode, OutboardError, Result } from '../../src/protocol/errors.ts';

/** Counts ops and frames as they pass. */
export interface RelayObserver {
  /** An op reached a session. */
  opReceived(type: string): void;
  /** An op was refused with `code` (nothing changed). */
  opRefused(type: string, code: ErrorCode): void;
  /** An op was applied; `ackSeconds` from its arrival to its ack (undefined for in-gesture values, never acked). */
  opApplied(type: string, ackSeconds: number | undefined): void;
  /** One frame of `bytes` went to one member. */
  frameSent(bytes: number): void;
}

/** An observer that ignores everything. */
export const NO_OBSERVER: RelayObserver = {
  opReceived() {},
  opRefused() {},
  opApplied() {},
  frameSent() {},
};

/** Counts an op of `type` as received, and answers the refusal that counts it as refused with its code (every hub's submit). */
export function countOp(observer: RelayObserver, type: string): (error: OutboardError) => Result<void> {
  observer.opReceived(type);
  return (error) => {
    observer.opRefused(type, error.code);
    return { ok: false, error };
  };
}
