import { wrap, type Remote } from 'comlink';
import type { EngineProcessorOptions, EngineRpc, ProcessorStatus } from '../../worklets/shared/rpc.ts';
import { ENGINE_PROCESSOR } from '../../worklets/shared/rpc.ts';

/** The engine binary, compiled once per page and kept as bytes for browsers that need them. */
export interface EngineWasm {
  readonly module: WebAssembly.Module;
  readonly bytes: ArrayBuffer;
}

const wasmCache = new Map<string, Promise<EngineWasm>>();

/** Fetches and compiles engine.wasm once per URL. */
export function loadEngineWasm(url: string): Promise<EngineWasm> {
  let pending = wasmCache.get(url);
  if (!pending) {
    pending = (async () => {
      const response = await fetch(url);
      if (!response.ok) throw new Error(`engine.wasm: ${url} answered ${response.status}`);
      const bytes = await response.arrayBuffer();
      return { module: await WebAssembly.compile(bytes), bytes };
    })();
    pending.catch(() => wasmCache.delete(url));
    wasmCache.set(url, pending);
  }
  return pending;
}

const modulesAdded = new WeakMap<BaseAudioContext, Promise<void>>();

/** Adds the worklet module to a context once. */
function addWorklet(ctx: BaseAudioContext, url: string): Promise<void> {
  let added = modulesAdded.get(ctx);
  if (!added) {
    added = ctx.audioWorklet.addModule(url);
    modulesAdded.set(ctx, added);
  }
  return added;
}

/** An engine node, its command channel and how it was set up. */
export interface EngineNode {
  readonly node: AudioWorkletNode;
  readonly rpc: Remote<EngineRpc>;
  readonly status: ProcessorStatus;
}

/** Shared-memory channels to hand the processor (absent: port fallback). */
export interface SharedChannels {
  readonly ring: SharedArrayBuffer;
  readonly meters: SharedArrayBuffer;
}

/** How to pass the engine: `auto` tries the compiled module, then bytes. */
export type WasmTransport = 'auto' | 'module' | 'bytes';

function construct(ctx: BaseAudioContext, options: EngineProcessorOptions): AudioWorkletNode {
  return new AudioWorkletNode(ctx, ENGINE_PROCESSOR, {
    numberOfInputs: 1,
    numberOfOutputs: 1,
    outputChannelCount: [2],
    channelCount: 2,
    channelCountMode: 'explicit',
    channelInterpretation: 'speakers',
    processorOptions: options,
  });
}

async function start(ctx: BaseAudioContext, options: EngineProcessorOptions): Promise<EngineNode> {
  const node = construct(ctx, options);
  // The processor's constructor or process() threw (they are written not to): say so, the node outputs silence.
  node.addEventListener('processorerror', () => console.error('outboard: the engine processor failed; audio is silent'));
  const rpc = wrap<EngineRpc>(node.port);
  try {
    return { node, rpc, status: await rpc.whenReady() };
  } catch (error) {
    node.port.close();
    throw error;
  }
}

/**
 * Creates the engine's AudioWorkletNode and waits until the WASM engine runs
 * inside it. The compiled module goes in `processorOptions`; a browser that
 * cannot clone a WebAssembly.Module into the worklet (it throws while
 * constructing, or the processor cannot instantiate it) gets the bytes.
 */
export async function createEngineNode(
  ctx: BaseAudioContext, workletUrl: string, wasm: EngineWasm,
  channels: SharedChannels | undefined, transport: WasmTransport = 'auto',
): Promise<EngineNode> {
  await addWorklet(ctx, workletUrl);
  const base = channels ? { ring: channels.ring, meters: channels.meters } : {};
  if (transport !== 'bytes') {
    try {
      return await start(ctx, { ...base, module: wasm.module });
    } catch (error) {
      if (transport === 'module') throw error;
    }
  }
  // Bytes are copied (not transferred) so the cached copy stays usable for the next context.
  return start(ctx, { ...base, bytes: wasm.bytes.slice(0) });
}
