// Where the browser finds the worklet and the engine, as Vite builds them:
// `?worker&url` bundles the worklet and everything it imports (comlink, the
// WASM binding) into one standalone ES module, which is what
// `audioWorklet.addModule` needs; `?url` copies engine.wasm with a hashed name.
// Kept apart from audio-engine.ts so other bundlers (the e2e fixtures use
// esbuild) can hand the engine their own URLs instead.
import workletUrl from '../../worklets/engine-processor.ts?worker&url';
import wasmUrl from '../../wasm/engine.wasm?url';

/** URLs of the engine's worklet module and WASM binary in the built app. */
export const ENGINE_ASSETS = { workletUrl, wasmUrl } as const;
