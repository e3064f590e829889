import type { Command } from './command.ts';
import { UsageError } from './command.ts';

/** Benchmark suites; each lives in tests/bench/<name>.ts and exports `run(args)`. */
const SUITES = ['dsp', 'relay', 'app', 'cluster'] as const;
type Suite = (typeof SUITES)[number];

interface SuiteModule {
  run(args: string[]): Promise<void>;
}

async function loadSuite(name: Suite): Promise<SuiteModule> {
  return (await import(`../../tests/bench/${name}.ts`)) as SuiteModule;
}

/** `outboard bench [suite...]`: runs the benchmarks and prints tables with ratios against baselines. */
export const benchCommand: Command = {
  async run(args) {
    const names = args.filter((a) => !a.startsWith('--'));
    for (const n of names) if (!(SUITES as readonly string[]).includes(n)) throw new UsageError(`unknown suite "${n}"`);
    const chosen = (names.length ? names : SUITES) as Suite[];
    for (const name of chosen) await (await loadSuite(name)).run(args.filter((a) => a.startsWith('--')));
    return 0;
  },
};
