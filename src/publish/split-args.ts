import { UsageError } from '../compile/parse-build-args.ts';

/** A command's own flags: boolean, or taking one value. */
export type FlagSpec = Record<string, 'boolean' | 'string'>;

export type SplitArgs = {
  own: Map<string, string | true>;
  /** Everything else, in order: the build's flags (the build checks them itself). */
  rest: string[];
};

/**
 * Takes a command's own flags (`--local`, `--port 8830`, `--port=8830`) out of argv and
 * leaves the rest, in order, for the build.
 */
export function splitArgs(argv: readonly string[], spec: FlagSpec): SplitArgs {
  const own = new Map<string, string | true>();
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    const match = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
    const name = match?.[1];
    const kind = name === undefined ? undefined : spec[name];
    if (name === undefined || kind === undefined) {
      rest.push(arg);
      continue;
    }
    if (kind === 'boolean') {
      own.set(name, true);
      continue;
    }
    const value = match?.[2] ?? argv[++i];
    if (value === undefined || value.startsWith('--'))
      throw new UsageError(`--${name} needs a value`);
    own.set(name, value);
  }
  return { own, rest };
}

/** A string flag's value, if given. */
export function stringFlag(own: SplitArgs['own'], name: string): string | undefined {
  const value = own.get(name);
  return typeof value === 'string' ? value : undefined;
}
