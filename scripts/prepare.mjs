// Builds what a fresh clone lacks, only when missing or stale: the compiled
// CLI, engine.wasm, then the app. Runs on `npm ci` (prepare), `npm start`,
// `npm test` and `npm run bench`.
import { buildCli } from './build-cli.mjs';
import { buildWasm } from './build-wasm.mjs';
import { buildApp } from './build-app.mjs';

buildCli();
await buildWasm();
await buildApp();
