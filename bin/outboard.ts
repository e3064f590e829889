#!/usr/bin/env node
// The CLI runs from TypeScript sources through tsx's loader, so `npx outboard`
// works right after `npm ci` with no separate compile step.
import { register } from 'tsx/esm/api';

register();
// `outboard plugins | head` closes stdout early: that is not an error.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});
const { main } = await import('../server/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
