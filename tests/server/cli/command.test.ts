import { describe, expect, it } from 'vitest';
import { parseArgs, UsageError } from '../../../server/cli/command.ts';

describe('CLI option parsing', () => {
  it('takes switches, options (spaced or with =) and positionals', () => {
    const { positional, flags } = parseArgs(['in.wav', '--int', '--bits', '16', 'out.wav', '--jobs=2'], ['int'], ['bits', 'jobs']);
    expect(positional).toEqual(['in.wav', 'out.wav']);
    expect([...flags]).toEqual([['int', true], ['bits', '16'], ['jobs', '2']]);
  });

  it('refuses an option the command does not take, naming it and the ones it does', () => {
    expect(() => parseArgs(['--bit', '16'], ['int'], ['bits'])).toThrow(new UsageError('unknown option --bit (options: --int, --bits)'));
    expect(() => parseArgs(['--json'], [], [])).toThrow(/unknown option --json \(this command takes none\)/);
  });

  it('refuses a value given to a switch, and an option without its value', () => {
    expect(() => parseArgs(['--int=no'], ['int'], [])).toThrow(/--int takes no value/);
    expect(() => parseArgs(['--bits'], [], ['bits'])).toThrow(/--bits needs a value/);
  });
});
