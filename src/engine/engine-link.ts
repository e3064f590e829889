import { transfer, type Remote } from 'comlink';
import type { EngineRpc, ProcessorStatus } from '../../worklets/shared/rpc.ts';
import { ParamRing } from '../../worklets/shared/param-ring.ts';
import { MeterBlock } from '../../worklets/shared/meter-block.ts';
import { createEngineNode, loadEngineWasm, type EngineWasm, type WasmTransport } from './engine-node.ts';
import { FallbackChannel } from './fallback-channel.ts';
import { ParamWriter } from './param-writer.ts';

/** Records the UI -> audio ring holds (12 bytes each: 48 KiB). */
const RING_CAPACITY = 4096;

/** Everything that connects the main thread to the engine in a worklet. */
export interface EngineLink {
  readonly node: AudioWorkletNode;
  /** Structural commands (comlink over the node's port). */
  readonly rpc: Remote<EngineRpc>;
  /** The worklet's status block: shared, or the UI's copy in the fallback. */
  readonly block: MeterBlock;
  /** The producer end of the event ring. */
  readonly writer: ParamWriter;
  /** Present only without shared memory. */
  readonly fallback: FallbackChannel | undefined;
  readonly status: ProcessorStatus;
  /** What it took to build, kept for offline renders with the same engine. */
  readonly wasm: EngineWasm;
  readonly workletUrl: string;
  readonly transport: WasmTransport;
}

/** How to link; see AudioEngineOptions. */
export interface LinkOptions {
  readonly workletUrl: string;
  readonly wasmUrl: string;
  /** Use SharedArrayBuffer channels (the caller checked cross-origin isolation). */
  readonly shared: boolean;
  readonly transport: WasmTransport;
}

/**
 * Loads engine.wasm, starts the engine node in `ctx`, and sets up the
 * channels: the event ring and status block in shared memory, or, without
 * it, a MessageChannel handed to the worklet for records and meter copies.
 */
export async function linkEngine(ctx: BaseAudioContext, options: LinkOptions): Promise<EngineLink> {
  const { workletUrl, wasmUrl, shared, transport } = options;
  const wasm = await loadEngineWasm(wasmUrl);
  const ring = ParamRing.create(RING_CAPACITY, shared);
  const sharedBlock = shared ? MeterBlock.create(true) : undefined;
  const channels = sharedBlock ? { ring: ring.buffer as SharedArrayBuffer, meters: sharedBlock.buffer as SharedArrayBuffer } : undefined;
  const { node, rpc, status } = await createEngineNode(ctx, workletUrl, wasm, channels, transport);
  let fallback: FallbackChannel | undefined;
  if (!sharedBlock) {
    const pipe = new MessageChannel();
    await rpc.attachFallback(transfer(pipe.port2, [pipe.port2]));
    fallback = new FallbackChannel(pipe.port1);
  }
  const block = sharedBlock ?? fallback!.block;
  const writer = new ParamWriter(ring, () => block.counter(), fallback);
  return { node, rpc, block, writer, fallback, status, wasm, workletUrl, transport };
}
