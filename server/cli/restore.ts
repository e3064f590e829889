import { resolve } from 'node:path';
import { restoreDatabase } from '../store/restore.ts';
import { dataDirOf } from './backup.ts';
import type { Command } from './command.ts';
import { parseArgs, UsageError } from './command.ts';

/** `outboard restore FILE`: replaces the relay's database with a checked backup; refuses over a running relay. */
export const restoreCommand: Command = {
  async run(args) {
    const { positional, flags } = parseArgs(args);
    if (positional.length !== 1) throw new UsageError('give the one backup FILE to restore');
    const source = resolve(positional[0]!);
    const done = restoreDatabase(dataDirOf(flags), source);
    if (!done.ok) {
      process.stderr.write(`outboard restore: ${done.error.message} (${done.error.code}); nothing was changed\n`);
      return 1;
    }
    const { sessions, ops, previous } = done.value;
    process.stdout.write(`restored ${sessions} sessions, ${ops} logged ops from ${source}\n`);
    if (previous) process.stdout.write(`the replaced database is kept as ${previous} (delete it once the relay runs well)\n`);
    return 0;
  },
};
