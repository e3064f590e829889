import { readFile, stat } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { EngineCore } from '../../wasm/host/index.ts';

/** Where the built engine lives, relative to this module. */
export const ENGINE_WASM = fileURLToPath(new URL('../../wasm/engine.wasm', import.meta.url));

let compiled: Promise<WebAssembly.Module> | null = null;

async function compile(): Promise<WebAssembly.Module> {
  const exists = await stat(ENGINE_WASM).then(() => true, () => false);
  if (!exists) {
    // A checkout where prepare did not run: build it now, once.
    const { buildWasm } = (await import('../../scripts/build-wasm.mjs')) as { buildWasm(): Promise<string> };
    await buildWasm();
  }
  return WebAssembly.compile(await readFile(ENGINE_WASM));
}

/** A fresh engine instance at `sampleRate`, from wasm/engine.wasm (compiled once per process). */
export async function loadEngine(sampleRate: number): Promise<EngineCore> {
  compiled ??= compile();
  return EngineCore.fromModule(await compiled, sampleRate);
}
