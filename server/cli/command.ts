/** What a command module exports: it runs the command and resolves to the exit code. */
export interface Command {
  run(args: string[]): Promise<number>;
}

/**
 * How `--help` lists a command. Its module is imported only when it runs, so
 * `outboard process` does not wait for the relay's modules to load.
 */
export interface CommandEntry {
  readonly name: string;
  /** One line for `--help`. */
  readonly summary: string;
  /** Usage line(s) shown by `outboard <name> --help` and on a usage error. */
  readonly usage: string;
  load(): Promise<Command>;
}

/** A usage error: printed with the command's usage, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/**
 * Parses `--flag value` and `--switch` options; everything else is positional.
 * `switches` lists the flags that take no value, `options` those that take
 * one; any other `--flag` is refused by name, so a misspelt option (`--bit 16`)
 * is an error rather than silently ignored.
 */
export function parseArgs(args: string[], switches: readonly string[], options: readonly string[]): {
  positional: string[];
  flags: Map<string, string | true>;
} {
  const positional: string[] = [];
  const flags = new Map<string, string | true>();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (!arg.startsWith('--')) {
      positional.push(arg);
      continue;
    }
    const [name, inline] = arg.slice(2).split('=', 2) as [string, string | undefined];
    const isSwitch = switches.includes(name);
    if (!isSwitch && !options.includes(name)) {
      const known = [...switches, ...options].map((o) => `--${o}`).join(', ');
      throw new UsageError(`unknown option --${name}${known ? ` (options: ${known})` : ' (this command takes none)'}`);
    }
    if (isSwitch) {
      if (inline !== undefined) throw new UsageError(`--${name} takes no value`);
      flags.set(name, true);
    } else if (inline !== undefined) flags.set(name, inline);
    else {
      const value = args[i + 1];
      if (value === undefined) throw new UsageError(`--${name} needs a value`);
      flags.set(name, value);
      i++;
    }
  }
  return { positional, flags };
}

/**
 * Pulls every `--name VALUE` (or `--name=VALUE`) out of `args`, for a flag
 * that may repeat; `rest` is what is left for {@link parseArgs}.
 */
export function takeRepeated(args: readonly string[], name: string): { rest: string[]; values: string[] } {
  const rest: string[] = [];
  const values: string[] = [];
  const flag = `--${name}`;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg.startsWith(`${flag}=`)) values.push(arg.slice(flag.length + 1));
    else if (arg !== flag) rest.push(arg);
    else {
      const value = args[++i];
      if (value === undefined) throw new UsageError(`${flag} needs a value`);
      values.push(value);
    }
  }
  return { rest, values };
}
