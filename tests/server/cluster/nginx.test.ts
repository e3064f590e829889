/**
 * The nginx configuration of docs/deploy.md (docs/nginx.conf), run for real:
 * Debian's nginx with that exact file (only the upstream addresses and the listen port set
 * to the test's, and temporary paths added) in front of two relay nodes on
 * Redis. WebSocket upgrades, X-Forwarded-For with OUTBOARD_TRUST_PROXY, and a
 * node killed behind it. Skipped with a message where nginx or redis-server
 * is missing (`.ci/run` installs both).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join as pathJoin } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanup, join, seedSession, spawnRelay, tempDir, token, type ChildRelay } from '../helpers.ts';
import { freePort, HAS_REDIS, loggedOps, NO_REDIS, startRedis, type TestRedis } from '../redis-helpers.ts';
import { faultUnderLoad, ResilientWriter } from '../../../bench/cluster-writer.ts';

const HAS_NGINX = spawnSync('nginx', ['-v'], { stdio: 'ignore' }).status === 0;
const SKIP = !HAS_REDIS ? NO_REDIS : !HAS_NGINX ? 'nginx is not installed (apt-get install nginx; .ci/run does it)' : undefined;

/** docs/nginx.conf (which docs/deploy.md shows whole), pointed at the test's nodes and port. */
function deployedConfig(upstreams: readonly string[], port: number, dir: string): string {
  const block = readFileSync(new URL('../../../docs/nginx.conf', import.meta.url), 'utf8');
  let n = 0;
  const conf = block
    .replace(/server relay-[ab]:8350/g, () => `server ${upstreams[n++]}`)
    .replace('listen 80;', `listen 127.0.0.1:${port};`)
    // Where a process writes its temporary files and logs: the test's dir, not /var (no root needed).
    .replace('http {', ['http {', ...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((k) => `  ${k}_temp_path ${dir}/${k};`), `  access_log ${dir}/access.log;`].join('\n'));
  if (n !== 2) throw new Error(`expected two upstream servers in docs/deploy.md, found ${n}`);
  return conf;
}

describe('docs/deploy.md', () => {
  it('shows docs/nginx.conf exactly, so what is read is what is tested', () => {
    const doc = readFileSync(new URL('../../../docs/deploy.md', import.meta.url), 'utf8');
    expect(/```nginx\n([\s\S]*?)```/.exec(doc)?.[1]).toBe(readFileSync(new URL('../../../docs/nginx.conf', import.meta.url), 'utf8'));
  });
});

describe.skipIf(SKIP !== undefined)(`nginx from docs/deploy.md in front of two nodes${SKIP ? ` (skipped: ${SKIP})` : ''}`, () => {
  const S = 'proxied';
  const dir = tempDir();
  let redis: TestRedis;
  let a: ChildRelay;
  let b: ChildRelay;
  let nginx: ChildProcess;
  let base: string;

  beforeAll(async () => {
    redis = await startRedis();
    const env = { OUTBOARD_REDIS_URL: redis.url, OUTBOARD_TRUST_PROXY: '1', OUTBOARD_SNAPSHOT_EVERY: '1000000', OUTBOARD_MAX_MESSAGES_PER_SECOND: '2000' };
    for (const n of ['a', 'b', 'nginx']) mkdirSync(pathJoin(dir, n));
    [a, b] = await Promise.all([spawnRelay(pathJoin(dir, 'a'), 0, env), spawnRelay(pathJoin(dir, 'b'), 0, env)]);
    const port = await freePort();
    const prefix = pathJoin(dir, 'nginx');
    writeFileSync(pathJoin(prefix, 'nginx.conf'), deployedConfig([new URL(a.url).host, new URL(b.url).host], port, prefix));
    nginx = spawn('nginx', ['-p', prefix, '-c', pathJoin(prefix, 'nginx.conf'), '-g', `daemon off; pid ${prefix}/nginx.pid; error_log ${prefix}/error.log;`], { stdio: 'ignore' });
    base = `http://127.0.0.1:${port}`;
    for (let i = 0; ; i++) {
      try {
        if ((await fetch(`${base}/health`)).ok) break;
      } catch {
        if (nginx.exitCode !== null || i > 200) throw new Error(`nginx did not start: ${readFileSync(pathJoin(prefix, 'error.log'), 'utf8')}`);
      }
      await new Promise((r) => setTimeout(r, 25));
    }
  });
  afterAll(async () => {
    if (nginx && nginx.exitCode === null) {
      const exited = new Promise((r) => nginx.once('exit', r));
      nginx.kill('SIGQUIT');
      await exited;
    }
    for (const n of [a, b]) if (n && n.child.exitCode === null) {
      n.child.kill('SIGKILL');
      await n.exited;
    }
    await redis?.dispose();
    cleanup(dir);
  });

  it('upgrades WebSockets through nginx: members joined through it see each other\'s edits', async () => {
    const ws = base.replace('http', 'ws');
    const owner = await seedSession(ws, S);
    const editor = await join(ws, S, { token: await token(S, 'ed', 'editor') });
    editor.send({ id: 'via_nginx', type: 'PLUGIN_PARAMETER', session_id: S, data: { track_id: 't1', plugin_id: 'p1', parameter_id: 'cutoff', parameter_value: 321 } });
    expect(await editor.answer('via_nginx')).toMatchObject({ type: 'ack', seq: 3 });
    expect(await owner.next((f) => f.id === 'via_nginx')).toMatchObject({ seq: 3, data: { parameter_value: 321 } });
    owner.close();
    editor.close();
  });

  it('counts the client\'s own address from X-Forwarded-For, and a spoofed header changes nothing', async () => {
    const ws = base.replace('http', 'ws');
    const client = await join(ws, S, { localAddress: '127.0.0.31', headers: { 'X-Forwarded-For': '203.0.113.66' }, token: await token(S, 'ed', 'editor') });
    const res = await fetch(`${base}/admin/websocket-security`, { headers: { Authorization: `Bearer ${await token('*', 'root', 'admin')}` } });
    const view = (await res.json()) as { connections: { per_ip: Record<string, number> } };
    expect(view.connections.per_ip['127.0.0.31']).toBe(1);
    expect(view.connections.per_ip['203.0.113.66']).toBeUndefined();
    client.close();
  });

  it('a node killed behind nginx: its members come back through the same address, every acked op logged once', async () => {
    const ws = base.replace('http', 'ws');
    // One after another, so least_conn puts two on each node.
    const writers: ResilientWriter[] = [];
    for (let i = 0; i < 4; i++) {
      const w = new ResilientWriter([ws], S, await token(S, `nw${i}`, 'editor'), `nw${i}_`);
      await w.start();
      writers.push(w);
    }
    // least_conn spread the four writers over both nodes: killing A cuts some of them off.
    await faultUnderLoad(writers, 3, 600, async () => {
      a.child.kill('SIGKILL');
      await a.exited;
    }, 600);
    expect(writers.some((w) => w.resumes.length > 0)).toBe(true);
    const inLog = await loggedOps(redis, S);
    for (const w of writers) {
      expect(w.refused).toEqual([]);
      for (const [id, seq] of w.acked) expect(inLog.get(id), id).toEqual([seq]);
    }
    for (const w of writers) w.stop();
  });
});
