// `npm start`: build what is missing or stale (the compiled CLI, engine.wasm,
// the app), then run the relay from the compiled CLI. Signals are forwarded so
// SIGTERM drains the relay cleanly.
import { spawn } from 'node:child_process';
import { buildCli } from './build-cli.mjs';
import { buildWasm } from './build-wasm.mjs';
import { buildApp } from './build-app.mjs';

const cli = buildCli();
await buildWasm();
await buildApp();

const child = spawn(process.execPath, [cli, 'serve', ...process.argv.slice(2)], { stdio: 'inherit' });
for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
