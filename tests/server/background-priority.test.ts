/**
 * `outboard serve` runs V8's helper threads at a lower priority
 * (OUTBOARD_BACKGROUND_NICE), never its event loop or the WAL checkpointer:
 * what an operator sees in `top -H`. Linux only, like the feature: the nice
 * values are read from /proc.
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

/** Nice value of each thread of `pid`: the main thread's, the others' in the order they started. */
function threadNices(pid: number): { main: number; others: number[] } {
  // Field 19 of /proc/<pid>/task/<tid>/stat; the command name (field 2) may hold spaces, so count from its ')'.
  const nice = (tid: string) => Number(readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8').split(') ')[1]!.split(' ')[16]);
  const tids = readdirSync(`/proc/${pid}/task`).sort((a, b) => Number(a) - Number(b));
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

  it('lowers the threads V8 started to the configured nice value, never the event loop or the WAL checkpointer', async () => {
    const relay = await serve({ OUTBOARD_BACKGROUND_NICE: '15' });
    // The relay answers over HTTP: the event loop is serving at its inherited priority.
    expect((await fetch(`${relay.url}/health`)).ok).toBe(true);
    const { main, others } = threadNices(relay.child.pid!);
    expect(main).toBe(inherited);
    // The checkpointer's thread is the relay's newest: started by the event loop once the others were lowered.
    const checkpointer = others.at(-1);
    const helpers = others.slice(0, -1);
    expect(checkpointer).toBe(inherited);
    expect(helpers.length).toBeGreaterThanOrEqual(4);
    for (const nice of helpers) expect(nice).toBe(Math.max(15, inherited));
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
