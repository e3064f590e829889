import type { Remote } from 'comlink';
import type { EngineChange } from '../model/changes.ts';
import { EngineGraph } from '../../wasm/host/engine-graph.ts';
import type { EngineLimits, GraphCommand, GraphSink } from '../../wasm/host/graph-commands.ts';
import type { TrackField } from '../../wasm/host/codes.ts';
import type { EngineCommand, EngineRpc } from '../../worklets/shared/rpc.ts';
import { EventKind, eventKey } from '../../worklets/shared/event-keys.ts';
import type { ParamWriter } from './param-writer.ts';

/**
 * Feeds engine changes to the engine in a worklet. The main thread's
 * {@link EngineGraph} knows what the engine holds and turns each change into
 * value writes and graph commands; this class carries them over:
 *
 * - a value goes into the shared event ring (applied at the next quantum),
 *   unless graph commands are in flight: then it rides the command stream
 *   behind them, so it cannot land on a chain position they are about to
 *   change (or on a plugin not inserted yet). Without shared memory, values
 *   always ride the command stream: one channel, one order.
 * - graph commands of one call go in one comlink message; messages run in
 *   order in the worklet, which first applies every ring record written
 *   before (EngineRunner.run).
 *
 * A fader move is one map lookup and one ring write: nothing here reads or
 * copies the document.
 */
export class EngineFeed implements GraphSink {
  readonly graph: EngineGraph;
  private readonly rpc: Remote<EngineRpc>;
  private readonly ring: ParamWriter | undefined;
  private batch: EngineCommand[] = [];
  private inFlight = 0;
  private sent: Promise<void> = Promise.resolve();
  private lastError: unknown;

  /**
   * @param rpc the worklet's command surface
   * @param limits the engine's capacity (from its status)
   * @param ring the shared ring's writer; absent: every value rides the command stream
   */
  constructor(rpc: Remote<EngineRpc>, limits: EngineLimits, ring: ParamWriter | undefined) {
    this.rpc = rpc;
    this.ring = ring;
    this.graph = new EngineGraph(limits, this);
  }

  /** The changes of one applied op; returns at once (commands complete in the background, see `settled`). */
  apply(changes: readonly EngineChange[]): void {
    this.graph.apply(changes);
    this.send();
  }

  /** A whole compiled document (load, resync, rollback). */
  load(compiled: readonly EngineChange[]): void {
    this.graph.load(compiled);
    this.send();
  }

  /** Resolves when every command sent so far has run; rejects with the last failure. */
  async settled(): Promise<void> {
    await this.sent;
    if (this.lastError !== undefined) {
      const error = this.lastError;
      this.lastError = undefined;
      throw error;
    }
  }

  /** GraphSink */
  param(slot: number, plugin: number, index: number, value: number): void {
    this.value(eventKey(EventKind.param, slot, plugin, index), value);
  }

  /** GraphSink */
  trackValue(slot: number, field: TrackField, value: number): void {
    this.value(eventKey(EventKind.track, slot, 0, field), value);
  }

  /** GraphSink */
  command(command: GraphCommand): void {
    if (this.batch.length === 0 && this.ring) {
      // Values a full ring is still holding back were written before this command: they go first.
      for (const [key, value] of this.ring.takeBacklog()) this.batch.push({ op: 'record', key, value });
    }
    this.batch.push(command);
  }

  private value(key: number, value: number): void {
    if (this.ring && this.inFlight === 0 && this.batch.length === 0) this.ring.write(key, value);
    else this.batch.push({ op: 'record', key, value });
  }

  private send(): void {
    if (this.batch.length === 0) return;
    const commands = this.batch;
    this.batch = [];
    this.inFlight++;
    const done = this.rpc.run(commands).then(
      () => undefined,
      (error: unknown) => void (this.lastError = error),
    ).finally(() => void this.inFlight--);
    this.sent = Promise.all([this.sent, done]).then(() => undefined);
  }
}
