import type { CommandEntry } from './command.ts';
import { UsageError } from './command.ts';
import { packageVersion } from '../package-info.ts';
import { BENCH_SUITES, benchCommand } from './bench.ts';

/** Every command, in the order `--help` lists them. Add a command by adding it here. */
const COMMANDS: readonly CommandEntry[] = [
  {
    name: 'serve',
    summary: 'run the relay: HTTP API, WebSocket sync and the built app (what `npm start` runs)',
    usage: 'outboard serve [--host HOST] [--port PORT] [--data DIR] [--quiet]   (settings: see README, Configuration)',
    load: async () => (await import('./serve.ts')).serveCommand,
  },
  {
    name: 'token',
    summary: 'print a JWT for a session, user and role, signed with the relay\'s secret',
    usage: 'outboard token --session S|* --user U --role admin|owner|editor|viewer [--ttl SECONDS]',
    load: async () => (await import('./token.ts')).tokenCommand,
  },
  {
    name: 'plugins',
    summary: 'list the plugin catalog with params, units, ranges and defaults',
    usage: 'outboard plugins [--json]',
    load: async () => (await import('./plugins.ts')).pluginsCommand,
  },
  {
    name: 'process',
    summary: 'run a plugin chain over a WAV file or many, sox-style (output at the input rate and channels)',
    usage: 'outboard process IN.wav OUT.wav TYPE[:param=value,...] [TYPE...] [--bits 16|24|32] [--int]\n'
      + '       outboard process IN.wav... [--from LIST.txt|-] --out-dir DIR CHAIN... [--jobs N] [--fail-fast] [--quiet] [--bits ...] [--int]\n'
      + '  e.g. outboard process in.wav out.wav filter:mode=lowpass,cutoff=1000,q=0.707 gain:gain_db=-6\n'
      + '       outboard process stems/*.wav --out-dir mastered/ eq:high_gain=2 compressor\n'
      + '  choices by name or index; 32-bit output is float unless --int; many files run on --jobs worker threads\n'
      + '  (default: every core), each output keeping its input\'s name; a bad file is reported and the rest go on',
    load: async () => (await import('./process.ts')).processCommand,
  },
  {
    name: 'render',
    summary: 'render a saved session document to a WAV file with the same engine the app plays, or sweep its params',
    usage: 'outboard render SESSION.json OUT.wav [--seconds N] [--rate HZ] [--bits 16|24|32] [--int] [--sample ID=FILE.wav ...]\n'
      + '       outboard render SESSION.json DIR --vary TRACK/PLUGIN/PARAM=FROM..TO:STEPS ... [--grid | --random N [--seed S]]\n'
      + '         [--csv] [--name NAME] [--jobs N] [--fail-fast] [--quiet] (and the options above)\n'
      + '  default length: 8 bars at the session tempo; --sample feeds file sources (stored in the browser otherwise)\n'
      + '  sweeps: DIR/NAME_0001.wav... and DIR/manifest.jsonl (manifest.csv with --csv) with each file\'s exact values;\n'
      + '  several --vary move together (same STEPS), --grid renders every combination, --random N draws within each\n'
      + '  range (FROM..TO optional: the whole range; the same --seed, default 1, gives the same files); log params step geometrically',
    load: async () => (await import('./render.ts')).renderCommand,
  },
  {
    name: 'sessions',
    summary: 'list the relay\'s sessions, or delete one (through the running relay, as an admin)',
    usage: 'outboard sessions list [--json] | delete ID   [--url RELAY_URL]   (default URL: http://HOST:PORT from the settings)',
    load: async () => (await import('./sessions.ts')).sessionsCommand,
  },
  {
    name: 'backup',
    summary: 'copy the relay\'s sessions to FILE, consistently, while it runs (SQLite\'s online backup; with OUTBOARD_REDIS_URL, the cluster\'s)',
    usage: 'outboard backup FILE [--data DIR]',
    load: async () => (await import('./backup.ts')).backupCommand,
  },
  {
    name: 'restore',
    summary: 'replace the relay\'s sessions with a backup (refused while a relay runs on it, with OUTBOARD_REDIS_URL while any node does, or if FILE is unsound)',
    usage: 'outboard restore FILE [--data DIR]',
    load: async () => (await import('./restore.ts')).restoreCommand,
  },
  {
    name: 'bench',
    summary: `run the benchmarks (${BENCH_SUITES.join(', ')}) and print tables with ratios against baselines`,
    usage: `outboard bench [${BENCH_SUITES.join('|')} ...] [--quick]   (all of them, in this order, when none is named)\n`
      + '  --quick: shorter runs (dsp, relay, ops, cluster, meters, surface, batch)\n'
      + '  app: --changes (the main thread per change only)    ops: --cluster (the Redis cluster only)\n'
      + '  cluster: --only=fanout,ops,resume,memory  --setups=durable-always,durable-everysec,gesture-always,gesture-everysec,gesture-channels\n'
      + '  sync: --runs=N --down-s=SECONDS --plain-backoff    batch: --files=N --renders=N --runs=N\n'
      + '  surface: --low-latency (only the low-latency device, the one its targets are read on)',
    load: async () => benchCommand,
  },
];

function help(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    'Usage: outboard <command> [options]',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Run `outboard <command> --help` for a command\'s options; `outboard --version` prints the version.',
    '',
  ].join('\n');
}

/** Runs the CLI with `argv` (without node and script); resolves to the exit code. */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(help());
    return name === undefined ? 2 : 0;
  }
  if (name === '--version' || name === '-v') {
    process.stdout.write(`${packageVersion()}\n`);
    return 0;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    process.stderr.write(`outboard: unknown command "${name}"\n\n${help()}`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(`Usage: ${command.usage}\n\n${command.summary}\n`);
    return 0;
  }
  try {
    return await (await command.load()).run(rest);
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`outboard ${name}: ${error.message}\nUsage: ${command.usage}\n`);
      return 2;
    }
    process.stderr.write(`outboard ${name}: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}
