/**
 * Choosing the store: without OUTBOARD_REDIS_URL a node is the single SQLite
 * node exactly as before; a malformed URL, or a cluster without a shared
 * token secret, is refused at start with a message naming the setting.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { cliBin } from '../../../server/package-info.ts';
import { loadConfig } from '../../../server/config.ts';
import { createLogger } from '../../../server/log.ts';
import { createRelay } from '../../../server/relay.ts';
import { SqliteStore } from '../../../server/store/sqlite.ts';
import { freePort, startNode, startRedis } from '../../../bench/redis-server.ts';
import { cleanup, SECRET, tempDir } from '../helpers.ts';

describe('OUTBOARD_REDIS_URL', () => {
  it('unset: the single node on SQLite', async () => {
    const dir = tempDir();
    const relay = createRelay(loadConfig({ OUTBOARD_DATA_DIR: dir, OUTBOARD_JWT_SECRET: 'x'.repeat(32) }), { log: createLogger('silent') });
    expect(relay.store).toBeInstanceOf(SqliteStore);
    await relay.stop();
    cleanup(dir);
  });

  it('malformed: refused, naming the variable', () => {
    expect(() => loadConfig({ OUTBOARD_REDIS_URL: 'localhost:6379' })).toThrow(/OUTBOARD_REDIS_URL must be a redis:\/\/ or rediss:\/\/ URL/);
  });

  it('without a shared secret: refused, since every node must accept the same tokens', () => {
    const config = loadConfig({ OUTBOARD_REDIS_URL: 'redis://127.0.0.1:1', OUTBOARD_DATA_DIR: tempDir() });
    expect(() => createRelay(config, { log: createLogger('silent') })).toThrow(/OUTBOARD_JWT_SECRET/);
    cleanup(config.dataDir);
  });

  it('unreachable at start: `outboard serve` exits 1 naming the Redis and why, instead of hanging on its retries', async () => {
    const dir = tempDir();
    const url = `redis://:hunter2@127.0.0.1:${await freePort()}`;
    try {
      const run = await promisify(execFile)(process.execPath, [cliBin(), 'serve', '--quiet', '--port', '0'], {
        env: { ...process.env, OUTBOARD_REDIS_URL: url, OUTBOARD_JWT_SECRET: SECRET, OUTBOARD_DATA_DIR: dir, OUTBOARD_LOG_LEVEL: 'silent' }, timeout: 15_000,
      }).catch((e: { code: number | null; signal: string | null; stderr: string }) => e);
      expect(run).toMatchObject({ code: 1, stderr: expect.stringMatching(/^outboard serve: cannot reach Redis at redis:\/\/:\*\*\*@127\.0\.0\.1:\d+: connect ECONNREFUSED 127\.0\.0\.1:\d+\n$/) });
    } finally {
      cleanup(dir);
    }
  }, 30_000);

  it('a node that cannot listen (its port taken): exits 1 with the reason, and is not left running as a live node', async () => {
    const redis = await startRedis();
    const a = await startNode(redis);
    const dir = tempDir();
    try {
      const port = new URL(a.url).port;
      const run = await promisify(execFile)(process.execPath, [cliBin(), 'serve', '--quiet', '--port', port], {
        env: { ...process.env, OUTBOARD_REDIS_URL: redis.url, OUTBOARD_JWT_SECRET: SECRET, OUTBOARD_DATA_DIR: dir, OUTBOARD_LOG_LEVEL: 'silent' }, timeout: 15_000,
      }).catch((e: { code: number | null; stderr: string }) => e);
      expect(run).toMatchObject({ code: 1, stderr: `outboard serve: port ${port} on 127.0.0.1 is taken by another process (another relay?): stop it, or set PORT (or --port) to a free port\n` });
      expect(await redis.client().zcard('{ob}:nodes')).toBe(1);
    } finally {
      await a.stop();
      cleanup(a.dataDir);
      await redis.dispose();
      cleanup(dir);
    }
  }, 30_000);
});
