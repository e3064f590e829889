#!/usr/bin/env node
// The CLI's entry. npm ci (prepare) compiles it with everything it imports to
// build/cli/bin/outboard.js, the file package.json's `bin` names: nothing is
// transpiled when it starts.
import { main } from '../server/cli/main.ts';

// `outboard plugins | head` closes stdout early: that is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});
process.exitCode = await main(process.argv.slice(2));
