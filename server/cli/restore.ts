import { resolve } from 'node:path';
import { loadConfig } from '../config.ts';
import { restoreCluster } from '../store/redis-backup.ts';
import { restoreDatabase } from '../store/restore.ts';
import { dataDirOf } from './backup.ts';
import type { Command } from './command.ts';
import { parseArgs, UsageError } from './command.ts';

/**
 * `outboard restore FILE`: replaces the relay's database (or, with OUTBOARD_REDIS_URL, the cluster's sessions
 * in Redis) with a checked backup; refuses over a running relay or any live node.
 */
export const restoreCommand: Command = {
  async run(args) {
    const { positional, flags } = parseArgs(args, [], ['data']);
    if (positional.length !== 1) throw new UsageError('give the one backup FILE to restore');
    const source = resolve(positional[0]!);
    const { redisUrl } = loadConfig();
    const done = redisUrl ? await restoreCluster(redisUrl, source) : restoreDatabase(dataDirOf(flags), source);
    if (!done.ok) {
      const outcome = done.error.code === 'INTERRUPTED' ? 'the cluster is partly restored' : 'nothing was changed';
      process.stderr.write(`outboard restore: ${done.error.message} (${done.error.code}); ${outcome}\n`);
      return 1;
    }
    const { sessions, ops } = done.value;
    process.stdout.write(`restored ${sessions} sessions, ${ops} logged ops from ${source}${redisUrl ? ` into ${redisUrl}` : ''}\n`);
    const previous = 'previous' in done.value ? done.value.previous : undefined;
    if (previous) process.stdout.write(`the replaced database is kept as ${previous} (delete it once the relay runs well)\n`);
    return 0;
  },
};
