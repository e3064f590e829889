import { loadConfig } from '../config.ts';
import { createRelay } from '../relay.ts';
import { mintToken } from '../auth/tokens.ts';
import { lowerBackgroundThreads } from '../background-priority.ts';
import { makeOutputFolder } from './atomic-write.ts';
import type { Command } from './command.ts';
import { parseArgs, UsageError } from './command.ts';

/** How long the admin link printed at start stays valid. */
const ADMIN_LINK_TTL_S = 7 * 24 * 3600;

/** `outboard serve`: the relay (what `npm start` runs). Drains on SIGTERM/SIGINT. */
export const serveCommand: Command = {
  async run(args) {
    const { positional, flags } = parseArgs(args, ['quiet'], ['host', 'port', 'data']);
    if (positional.length > 0) throw new UsageError(`unexpected argument "${positional[0]}"`);
    const env = { ...process.env };
    const host = flags.get('host');
    const port = flags.get('port');
    const data = flags.get('data');
    if (typeof host === 'string') env.HOST = host;
    if (typeof port === 'string') env.PORT = port;
    if (typeof data === 'string') env.OUTBOARD_DATA_DIR = data;
    const config = loadConfig(env);
    // Made here so a file in the way is named with the setting; the store's own mkdir error says neither.
    if (!config.redisUrl) {
      try {
        makeOutputFolder(config.dataDir);
      } catch (error) {
        throw new Error(`OUTBOARD_DATA_DIR (or --data): ${(error as Error).message}`, { cause: error });
      }
    }
    // Before the relay exists: the threads it starts (the WAL checkpointer's) keep the event loop's priority.
    if (config.backgroundNice > 0) lowerBackgroundThreads(config.backgroundNice);
    const relay = createRelay(config);
    const url = await relay.start();
    if (!flags.has('quiet')) {
      const token = await mintToken(relay.secret, { user: 'admin', session: '*', role: 'admin', ttlSeconds: ADMIN_LINK_TTL_S });
      // Jupyter-style: the one link to open, on stdout, apart from the JSON logs.
      process.stdout.write(`\n  Outboard relay is running. Open this URL (it carries an admin token, valid 7 days):\n\n    ${url}/?token=${token}\n\n`);
    }
    await new Promise<void>((resolve) => {
      const shutdown = (signal: string) => {
        relay.log.info({ signal }, 'draining');
        void relay.stop().then(resolve);
      };
      process.once('SIGTERM', () => shutdown('SIGTERM'));
      process.once('SIGINT', () => shutdown('SIGINT'));
    });
    return 0;
  },
};
