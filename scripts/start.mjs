// `npm start`: build what is missing or stale (engine.wasm, the app), then run
// the relay. Signals are forwarded so SIGTERM drains the relay cleanly.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { buildWasm } from './build-wasm.mjs';
import { buildApp } from './build-app.mjs';

await buildWasm();
await buildApp();

const cli = fileURLToPath(new URL('../bin/outboard.js', import.meta.url));
const child = spawn(process.execPath, [cli, 'serve', ...process.argv.slice(2)], { stdio: 'inherit' });
for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
