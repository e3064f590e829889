import type { Command } from './command.ts';
import { UsageError } from './command.ts';

/** What a suite module exports. */
interface SuiteModule {
  run(args: string[]): Promise<void>;
}

/**
 * Benchmark suites, in the order a bare `outboard bench` runs them; each lives
 * in bench/<name>.ts. Literal imports, so the compiler emits every suite.
 */
const SUITES: Readonly<Record<string, () => Promise<SuiteModule>>> = {
  dsp: () => import('../../bench/dsp.ts'),
  relay: () => import('../../bench/relay.ts'),
  app: () => import('../../bench/app.ts'),
  midi: () => import('../../bench/midi.ts'),
  ops: () => import('../../bench/ops.ts'),
  sync: () => import('../../bench/sync.ts'),
  cluster: () => import('../../bench/cluster.ts'),
  meters: () => import('../../bench/meters.ts'),
  surface: () => import('../../bench/surface.ts'),
  batch: () => import('../../bench/batch.ts'),
};

/** The suites' names, in the order a bare `outboard bench` runs them. */
export const BENCH_SUITES: readonly string[] = Object.keys(SUITES);

/** `outboard bench [suite...]`: runs the benchmarks and prints tables with ratios against baselines. */
export const benchCommand: Command = {
  async run(args) {
    const names = args.filter((a) => !a.startsWith('--'));
    for (const n of names) if (!(n in SUITES)) throw new UsageError(`unknown suite "${n}"`);
    const chosen = names.length ? names : BENCH_SUITES;
    for (const name of chosen) await (await SUITES[name]!()).run(args.filter((a) => a.startsWith('--')));
    return 0;
  },
};
