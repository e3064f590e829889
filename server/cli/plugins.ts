import { PLUGINS } from '../../src/plugins/index.ts';
import { formatColumns } from './columns.ts';
import { parseArgs, UsageError, type Command } from './command.ts';

function range(min: number, max: number, choices?: string[]): string {
  return choices ? choices.join(' | ') : `${min} .. ${max}`;
}

/** `outboard plugins`: the catalog as a table (type, param, unit, range, default). */
export const pluginsCommand: Command = {
  async run(args) {
    const { positional, flags } = parseArgs(args, ['json'], []);
    if (positional.length > 0) throw new UsageError(`unexpected argument "${positional[0]}"`);
    if (flags.has('json')) {
      process.stdout.write(`${JSON.stringify(PLUGINS, null, 2)}\n`);
      return 0;
    }
    const rows: string[][] = [['TYPE', 'PARAM', 'UNIT', 'RANGE', 'DEFAULT', 'SCALE']];
    for (const plugin of PLUGINS) {
      plugin.params.forEach((p, i) => {
        const def = p.choices ? `${p.choices[p.default]} (${p.default})` : String(p.default);
        rows.push([i === 0 ? `${plugin.id} (${plugin.kind})` : '', p.id, p.unit || '-', range(p.min, p.max, p.choices), def, p.scale]);
      });
    }
    process.stdout.write(formatColumns(rows));
    return 0;
  },
};
