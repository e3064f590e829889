import { mintToken } from '../auth/tokens.ts';
import { loadConfig } from '../config.ts';
import { readSecretFile } from '../secret.ts';
import { formatColumns } from './columns.ts';
import type { Command } from './command.ts';
import { parseArgs, UsageError } from './command.ts';

interface Listing { id: string; name: string; seq: number; size_bytes: number; members: number; updated_at: string }

/** The running relay's base URL and an admin token for it, from the flags and the relay's settings. */
async function target(flags: Map<string, string | true>): Promise<{ url: string; headers: Record<string, string> }> {
  const config = loadConfig();
  const given = flags.get('url');
  if (given === true) throw new UsageError('--url needs a value');
  const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  const url = (given ?? `http://${host.includes(':') ? `[${host}]` : host}:${config.port}`).replace(/\/+$/, '');
  // The secret the relay signs with; never generated here (a new one would not match the relay's).
  const secret = config.jwtSecret ?? readSecretFile(config.dataDir);
  if (!secret) throw new Error(`no signing secret: set OUTBOARD_JWT_SECRET or OUTBOARD_DATA_DIR to the relay's (looked in ${config.dataDir})`);
  const token = await mintToken(secret, { user: 'cli', session: '*', role: 'admin', ttlSeconds: 300 });
  return { url, headers: { Authorization: `Bearer ${token}` } };
}

/** fetch, with a relay that cannot be reached named by its URL and the reason (fetch alone says "fetch failed"). */
async function ask(url: string, base: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(url, init);
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const reason = cause?.code === 'ECONNREFUSED' ? 'nothing listens there' : cause?.code ?? cause?.message ?? (error as Error).message;
    throw new Error(`cannot reach the relay at ${base}: ${reason} (is it running? give its address with --url, or set HOST and PORT as it has them)`, { cause: error });
  }
}

async function failure(res: Response): Promise<string> {
  const body = (await res.json().catch(() => ({}))) as { code?: string; message?: string };
  return `${res.status} ${body.code ?? ''}: ${body.message ?? res.statusText}`;
}

/** `outboard sessions list|delete ID`: the operator's session routes, from a shell. */
export const sessionsCommand: Command = {
  async run(args) {
    const { positional, flags } = parseArgs(args, ['json'], ['url']);
    const [action, id, ...extra] = positional;
    if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"`);
    if (action === 'list' && id === undefined) {
      const { url, headers } = await target(flags);
      const res = await ask(`${url}/api/sessions`, url, { headers });
      if (!res.ok) throw new Error(`the relay at ${url} answered ${await failure(res)}`);
      const { sessions } = (await res.json()) as { sessions: Listing[] };
      if (flags.has('json')) process.stdout.write(`${JSON.stringify(sessions, null, 2)}\n`);
      else {
        const rows = sessions.map((s) => [s.id, s.name, String(s.seq), `${(s.size_bytes / 1024).toFixed(1)} KiB`, String(s.members), s.updated_at]);
        process.stdout.write(formatColumns([['ID', 'NAME', 'SEQ', 'SIZE', 'MEMBERS', 'LAST CHANGE'], ...rows]));
      }
      return 0;
    }
    if (action === 'delete' && id !== undefined) {
      const { url, headers } = await target(flags);
      const res = await ask(`${url}/api/sessions/${encodeURIComponent(id)}`, url, { method: 'DELETE', headers });
      if (res.status !== 204) throw new Error(`the relay at ${url} answered ${await failure(res)}`);
      process.stdout.write(`deleted session ${id}\n`);
      return 0;
    }
    throw new UsageError('expected "list" or "delete ID"');
  },
};
