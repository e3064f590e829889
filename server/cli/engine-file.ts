import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { outboardError, type OutboardError } from '../../src/protocol/errors.ts';
import { EngineCore } from '../../wasm/host/engine-core.ts'; // not the barrel: see process-file.ts
import { fromPackageRoot } from '../package-info.ts';

/** Where the built engine lives: built by `npm ci` (prepare) or `npm run build:wasm`, never at run time. */
export const ENGINE_WASM = fromPackageRoot('wasm', 'engine.wasm');

const MISSING = `${ENGINE_WASM} is missing; build it with \`npm run build:wasm\` (\`npm ci\` builds it too)`;

/** The refusal when the engine is not built, else null: a batch asks once, before any worker meets it file by file. */
export function engineMissing(): OutboardError | null {
  return existsSync(ENGINE_WASM) ? null : outboardError('ENGINE_ERROR', MISSING);
}

let compiled: Promise<WebAssembly.Module> | null = null;

async function compile(): Promise<WebAssembly.Module> {
  const bytes = await readFile(ENGINE_WASM).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'ENOENT') throw error;
    throw new Error(`ENGINE_ERROR: ${MISSING}`);
  });
  return WebAssembly.compile(bytes);
}

/** A fresh engine instance at `sampleRate`, from wasm/engine.wasm (compiled once per process). */
export async function loadEngine(sampleRate: number): Promise<EngineCore> {
  compiled ??= compile();
  return EngineCore.fromModule(await compiled, sampleRate);
}
