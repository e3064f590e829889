// Builds what a fresh clone lacks, only when missing or stale: engine.wasm, then the app.
// Runs on `npm ci` (prepare), `npm start` and `npm test`.
import { buildWasm } from './build-wasm.mjs';
import { buildApp } from './build-app.mjs';

await buildWasm();
await buildApp();
