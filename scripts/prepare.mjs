// Builds what a fresh clone lacks, only when missing or stale: engine.wasm, then the app.
// Runs on `npm ci` (prepare), `npm start` and `npm test`.
console.log('outboard: nothing to build yet');
