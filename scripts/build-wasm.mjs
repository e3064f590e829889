/** Builds wasm/engine.wasm from wasm/assembly when it is missing or older than its sources. */
export async function buildWasm() {}
