/**
 * Secrets: generated once with mode 0600, shared by `serve` and `token`, and
 * never written to a log line.
 */
import { execFile, spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { join as pathJoin } from 'node:path';
import { Writable } from 'node:stream';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { createVerifier } from '../../server/auth/tokens.ts';
import { createLogger, safeUrl } from '../../server/log.ts';
import { cliBin } from '../../server/package-info.ts';
import { readSecretFile, resolveSecret } from '../../server/secret.ts';
import { cleanup, tempDir } from './helpers.ts';

describe('the signing secret', () => {
  it('is generated on first start into the data dir with mode 0600, then reused', () => {
    const dir = tempDir();
    const first = resolveSecret(undefined, dir);
    expect(statSync(pathJoin(dir, 'jwt-secret')).mode & 0o777).toBe(0o600);
    expect(resolveSecret(undefined, dir)).toBe(first);
    expect(resolveSecret('given', dir)).toBe('given');
    cleanup(dir);
  });

  it('`outboard token` signs with the data dir\'s secret', async () => {
    const dir = tempDir();
    const mint = () => promisify(execFile)(process.execPath, [cliBin(), 'token', '--session', 's1', '--user', 'u1', '--role', 'editor', '--ttl', '60'], {
      env: { ...process.env, OUTBOARD_DATA_DIR: dir, OUTBOARD_JWT_SECRET: '' },
    });
    const first = await mint();
    // Run where no relay has run (the wrong folder), it says which data dir the token is good for.
    expect(first.stderr).toContain(`no relay has used ${dir} yet`);
    const verified = await createVerifier(readSecretFile(dir)!).verify(first.stdout.trim());
    expect(verified).toMatchObject({ ok: true, value: { user: 'u1', session: 's1', role: 'editor' } });
    const again = await mint();
    expect(again.stderr).toBe('');
    expect((await createVerifier(readSecretFile(dir)!).verify(again.stdout.trim())).ok).toBe(true);
    cleanup(dir);
  }, 20_000);
});

describe('`outboard token` refuses', () => {
  it('a --ttl that is not a whole number of seconds in decimal ("0x10", "1e3", "1.5"), exit 2, printing no token', () => {
    for (const ttl of ['0x10', '1e3', '1.5', '0', '-5']) {
      const r = spawnSync(process.execPath, [cliBin(), 'token', '--session', 's1', '--user', 'u1', '--role', 'editor', '--ttl', ttl], {
        env: { ...process.env, OUTBOARD_JWT_SECRET: 'given' }, encoding: 'utf8',
      });
      expect(r.status).toBe(2);
      expect(r.stderr).toContain('--ttl must be a positive number of seconds');
      expect(r.stdout).toBe('');
    }
  });
});

describe('logs', () => {
  it('never carry a token', () => {
    let out = '';
    const sink = new Writable({ write(chunk: Buffer, _enc, done) { out += chunk.toString(); done(); } });
    const log = createLogger('info', sink);
    log.info({ token: 'eyJhbGciOi.secret.sig', headers: { authorization: 'Bearer eyJ.abc.def' }, path: safeUrl('/ws?session=s1&token=eyJ.abc.def&since=3') }, 'joined');
    expect(out).not.toMatch(/eyJ/);
    expect(out).toMatch(/session=s1&token=\[redacted\]&since=3/);
  });
});
