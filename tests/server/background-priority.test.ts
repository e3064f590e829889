/**
 * `outboard serve` runs every thread but its event loop at a lower priority
 * (OUTBOARD_BACKGROUND_NICE): what an operator sees in `top -H`. Linux only,
 * like the feature: the nice values are read from /proc.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { getPriority } from 'node:os';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config.ts';
import { cleanup, spawnRelay, tempDir, type ChildRelay } from './helpers.ts';

const dirs: string[] = [];
const relays: ChildRelay[] = [];
afterAll(async () => {
  for (const r of relays) {
    r.child.kill('SIGTERM');
    await r.exited;
  }
  dirs.forEach(cleanup);
});

/** Nice value of each thread of `pid`, the main thread's first. */
function threadNices(pid: number): { main: number; others: number[] } {
  // Field 19 of /proc/<pid>/task/<tid>/stat; the command name (field 2) may hold spaces, so count from its ')'.
  const nice = (tid: string) => Number(readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8').split(') ')[1]!.split(' ')[16]);
  const tids = readdirSync(`/proc/${pid}/task`);
  return { main: nice(String(pid)), others: tids.filter((t) => t !== String(pid)).map(nice) };
}

async function serve(env: Record<string, string>): Promise<ChildRelay> {
  const dir = tempDir();
  dirs.push(dir);
  const relay = await spawnRelay(dir, 0, env);
  relays.push(relay);
  return relay;
}

describe.runIf(process.platform === 'linux')('outboard serve thread priorities', () => {
  const inherited = getPriority();

  it('lowers V8 helpers and the checkpointer to the configured nice value, never the event loop', async () => {
    const relay = await serve({ OUTBOARD_BACKGROUND_NICE: '15' });
    // The relay answers over HTTP: the event loop is serving at its inherited priority.
    expect((await fetch(`${relay.url}/health`)).ok).toBe(true);
    const { main, others } = threadNices(relay.child.pid!);
    expect(main).toBe(inherited);
    expect(others.length).toBeGreaterThanOrEqual(4);
    for (const nice of others) expect(nice).toBe(Math.max(15, inherited));
  });

  it('leaves every thread alone with OUTBOARD_BACKGROUND_NICE=0', async () => {
    const relay = await serve({ OUTBOARD_BACKGROUND_NICE: '0' });
    const { main, others } = threadNices(relay.child.pid!);
    expect([main, ...others].every((n) => n === inherited)).toBe(true);
  });
});

describe('OUTBOARD_BACKGROUND_NICE', () => {
  it('defaults to 19 and refuses values outside 0-19, naming the variable', () => {
    expect(loadConfig({}).backgroundNice).toBe(19);
    expect(loadConfig({ OUTBOARD_BACKGROUND_NICE: '0' }).backgroundNice).toBe(0);
    expect(() => loadConfig({ OUTBOARD_BACKGROUND_NICE: '20' })).toThrow('OUTBOARD_BACKGROUND_NICE must be an integer from 0 to 19, got "20"');
    expect(() => loadConfig({ OUTBOARD_BACKGROUND_NICE: '-1' })).toThrow(/OUTBOARD_BACKGROUND_NICE/);
  });
});
