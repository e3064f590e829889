import { ID_PATTERN } from '../../src/protocol/ids.ts';
import { ROLES, type Role } from '../../src/protocol/messages.ts';
import { mintToken } from '../auth/tokens.ts';
import { loadConfig } from '../config.ts';
import { readSecretFile, resolveSecret } from '../secret.ts';
import type { Command } from './command.ts';
import { parseArgs, UsageError } from './command.ts';

/** `outboard token`: prints a JWT signed with the relay's secret (OUTBOARD_JWT_SECRET or the data dir's). */
export const tokenCommand: Command = {
  async run(args) {
    const { positional, flags } = parseArgs(args, [], ['session', 'user', 'role', 'ttl']);
    if (positional.length > 0) throw new UsageError(`unexpected argument "${positional[0]}"`);
    const session = flags.get('session');
    const user = flags.get('user');
    const role = flags.get('role');
    const ttlText = flags.get('ttl') ?? '86400';
    if (typeof session !== 'string' || (session !== '*' && !ID_PATTERN.test(session))) throw new UsageError('--session must be a session id or *');
    if (typeof user !== 'string' || user.length === 0 || user.length > 256) throw new UsageError('--user is required');
    if (typeof role !== 'string' || !(ROLES as readonly string[]).includes(role)) throw new UsageError(`--role must be one of ${ROLES.join(', ')}`);
    const ttl = typeof ttlText === 'string' && /^\d+$/.test(ttlText) ? Number(ttlText) : NaN;
    if (!(ttl > 0)) throw new UsageError('--ttl must be a positive number of seconds');
    const config = loadConfig();
    const fresh = !config.jwtSecret && readSecretFile(config.dataDir) === undefined;
    const secret = resolveSecret(config.jwtSecret, config.dataDir);
    // Run from the wrong folder, this signs with a secret no running relay has: say where it went.
    if (fresh) process.stderr.write(`outboard token: no relay has used ${config.dataDir} yet; made its signing secret there, so only a relay started with that data dir (OUTBOARD_DATA_DIR) accepts this token\n`);
    process.stdout.write(`${await mintToken(secret, { user, session, role: role as Role, ttlSeconds: ttl })}\n`);
    return 0;
  },
};
