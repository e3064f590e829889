import { setPriority } from 'node:os';
import { resolve } from 'node:path';
import { loadConfig } from '../config.ts';
import { backupDatabase } from '../store/backup.ts';
import { backupCluster } from '../store/redis-backup.ts';
import type { Command } from './command.ts';
import { parseArgs, UsageError } from './command.ts';

/** The data dir a maintenance command works on: `--data DIR`, else OUTBOARD_DATA_DIR (default ./data). */
export function dataDirOf(flags: Map<string, string | true>): string {
  const data = flags.get('data');
  if (data === true) throw new UsageError('--data needs a folder');
  return data === undefined ? loadConfig().dataDir : resolve(data);
}

/** `outboard backup FILE`: a consistent online copy of the relay's database, or of a cluster's Redis with OUTBOARD_REDIS_URL (it may be running). */
export const backupCommand: Command = {
  async run(args) {
    const { positional, flags } = parseArgs(args, [], ['data']);
    if (positional.length !== 1) throw new UsageError('give one FILE to write the backup to');
    const target = resolve(positional[0]!);
    // A batch job beside a live relay: on a small machine it must not take the CPU from the relay's event loop.
    try {
      setPriority(19);
    } catch {
      // Not permitted here: run at the normal priority.
    }
    const started = performance.now();
    const { redisUrl } = loadConfig();
    const done = redisUrl ? await backupCluster(redisUrl, target) : await backupDatabase(dataDirOf(flags), target);
    if (!done.ok) {
      process.stderr.write(`outboard backup: ${done.error.message} (${done.error.code})\n`);
      return 1;
    }
    const { bytes, sessions, ops } = done.value;
    const seconds = ((performance.now() - started) / 1000).toFixed(2);
    process.stdout.write(`backed up ${sessions} sessions, ${ops} logged ops (${(bytes / 1048576).toFixed(1)} MiB) to ${target} in ${seconds} s\n`);
    return 0;
  },
};
