/**
 * The HS256 signing secret: OUTBOARD_JWT_SECRET when given, else a random
 * one generated on first start into `<dataDir>/jwt-secret` with mode 0600, so
 * `npm start` works with no setup and tokens survive a restart.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeFolder } from './make-folder.ts';

export const SECRET_FILE = 'jwt-secret';

/** Reads the secret file of `dataDir`, or undefined when there is none yet. */
export function readSecretFile(dataDir: string): string | undefined {
  try {
    const text = readFileSync(join(dataDir, SECRET_FILE), 'utf8').trim();
    return text || undefined;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** The secret to sign and verify with; generates the data dir's file when neither exists. */
export function resolveSecret(given: string | undefined, dataDir: string): string {
  if (given) return given;
  const existing = readSecretFile(dataDir);
  if (existing) {
    const path = join(dataDir, SECRET_FILE);
    // Someone loosened it by hand: a readable secret lets anyone mint admin tokens.
    if ((statSync(path).mode & 0o077) !== 0) chmodSync(path, 0o600);
    return existing;
  }
  makeFolder(dataDir);
  const secret = randomBytes(32).toString('base64url');
  // 'wx' fails if another process created it in between; then read theirs.
  try {
    writeFileSync(join(dataDir, SECRET_FILE), `${secret}\n`, { mode: 0o600, flag: 'wx' });
    return secret;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return readSecretFile(dataDir) ?? secret;
  }
}
