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

// The relay's node flags (RELAY_NODE_FLAGS) come from the CLI just compiled, so they are written down once.
const { serveArgs } = await import(new URL('../build/cli/server/package-info.js', import.meta.url).href);
const child = spawn(process.execPath, serveArgs(...process.argv.slice(2)), { stdio: 'inherit' });
for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
