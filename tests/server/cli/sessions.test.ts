/** `outboard sessions list|delete` against a relay process, signed with the relay's secret. */
import { cliBin } from '../../../server/package-info.ts';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../../../bench/redis-server.ts';
import { cleanup, SECRET, seedSession, spawnRelay, tempDir } from '../helpers.ts';

const exec = promisify(execFile);
const dirs: string[] = [];
afterAll(() => dirs.forEach(cleanup));

describe('outboard sessions', () => {
  it('lists the relay\'s sessions with their members, and deletes one, closing its members', async () => {
    const dir = tempDir();
    dirs.push(dir);
    const relay = await spawnRelay(dir);
    const run = (...args: string[]) => exec(process.execPath, [cliBin(), 'sessions', ...args, '--url', relay.url], {
      env: { ...process.env, OUTBOARD_JWT_SECRET: SECRET, OUTBOARD_DATA_DIR: dir },
    });
    try {
      const owner = await seedSession(relay.ws, 'cli_one');
      (await seedSession(relay.ws, 'cli_two')).close();
      const table = (await run('list')).stdout.split('\n');
      expect(table[0]).toMatch(/^ID\s+NAME\s+SEQ\s+SIZE\s+MEMBERS\s+LAST CHANGE$/);
      expect(table.find((l) => l.startsWith('cli_one'))).toMatch(/^cli_one\s+Untitled session\s+2\s+[\d.]+ KiB\s+1\s+\d{4}-/);
      const listed = JSON.parse((await run('list', '--json')).stdout) as { id: string }[];
      expect(listed.map((s) => s.id).sort()).toEqual(['cli_one', 'cli_two']);

      expect((await run('delete', 'cli_one')).stdout).toBe('deleted session cli_one\n');
      expect(await owner.closed).toEqual({ code: 4404, reason: 'session deleted by an admin' });
      expect((JSON.parse((await run('list', '--json')).stdout) as { id: string }[]).map((s) => s.id)).toEqual(['cli_two']);
      const again = await run('delete', 'cli_one').catch((e: { code: number; stderr: string }) => e);
      expect(again).toMatchObject({ code: 1, stderr: expect.stringMatching(/404 SESSION_NOT_FOUND/) });
    } finally {
      relay.child.kill('SIGTERM');
      await relay.exited;
    }
  }, 60_000);

  it('with no relay at the address: names the URL and that nothing listens there, exit 1', async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const run = await exec(process.execPath, [cliBin(), 'sessions', 'list', '--url', url], { env: { ...process.env, OUTBOARD_JWT_SECRET: SECRET } })
      .catch((e: { code: number; stderr: string }) => e);
    expect(run).toMatchObject({ code: 1, stderr: `outboard sessions: cannot reach the relay at ${url}: nothing listens there (is it running? give its address with --url, or set HOST and PORT as it has them)\n` });
  }, 30_000);
});
