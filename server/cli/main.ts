import type { Command } from './command.ts';
import { UsageError } from './command.ts';
import { benchCommand } from './bench.ts';
import { pluginsCommand } from './plugins.ts';
import { processCommand } from './process.ts';
import { renderCommand } from './render.ts';
import { serveCommand } from './serve.ts';
import { tokenCommand } from './token.ts';

/** Every command, in the order `--help` lists them. Add a command by adding it here. */
const COMMANDS: readonly Command[] = [serveCommand, tokenCommand, pluginsCommand, processCommand, renderCommand, benchCommand];

function help(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    'Usage: outboard <command> [options]',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Run `outboard <command> --help` for a command\'s options.',
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
    return await command.run(rest);
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`outboard ${name}: ${error.message}\nUsage: ${command.usage}\n`);
      return 2;
    }
    process.stderr.write(`outboard ${name}: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}
