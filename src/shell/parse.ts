import { parseArgs } from 'node:util';
import { findCommand } from '../commands/index.js';
import { UsageError, type CommandSpec, type ParsedArgs } from '../commands/spec.js';

export class UnknownCommandError extends Error {
  override name = 'UnknownCommandError';
  constructor(readonly command: string) {
    // A runaway line (megabytes of garbage) is not echoed in full.
    super(`Command not found: Command not found ${command.length > 200 ? `${command.slice(0, 200)}…` : command}`);
  }
}

const NEGATIVE = /^-\d+(\.\d+)?$/;
// Stands in for a negative number while parseArgs runs (never starts with a dash).
const PLACEHOLDER = '\u0000neg';

/** Resolves the command word and parses its options with the spec's option table. */
export function parseCommand(words: readonly string[]): { spec: CommandSpec; parsed: ParsedArgs } {
  const [name, ...rest] = words;
  if (name === undefined) throw new UsageError('empty command');
  // `stat` alone is the four-letter word; with a path it is the znode command.
  const spec = name === 'stat' && rest.length === 0 ? findCommand('4lw') : findCommand(name);
  if (!spec) throw new UnknownCommandError(name);
  if (spec.raw) return { spec, parsed: { options: {}, args: rest, invokedAs: name } };
  const options: Record<string, { type: 'boolean' | 'string'; short: string }> = {};
  for (const [key, o] of Object.entries(spec.options)) options[key] = { type: o.type, short: o.short };
  // zkCli takes `-v -1` (any version): give parseArgs a negative number as the option's inline value.
  const valued = new Set(
    Object.values(spec.options)
      .filter((o) => o.type === 'string')
      .map((o) => `-${o.short}`),
  );
  const args: string[] = [];
  // Any other negative number is an argument, as commons-cli's parser takes it (`redo -1`).
  const negatives = new Map<string, string>();
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i]!;
    const next = rest[i + 1];
    if (valued.has(a) && next !== undefined && /^-\d+$/.test(next)) {
      args.push(`${a}${next}`);
      i++;
    } else if (NEGATIVE.test(a)) {
      const key = `${PLACEHOLDER}${negatives.size}`;
      args.push(key);
      negatives.set(key, a);
    } else args.push(a);
  }
  try {
    const { values, positionals } = parseArgs({ args, options, strict: true, allowPositionals: true });
    const restored = positionals.map((a) => negatives.get(a) ?? a);
    return {
      spec,
      parsed: { options: values, args: restored, invokedAs: name },
    };
  } catch (e) {
    const u = new UsageError(parseArgsMessage(e as Error & { code?: string }));
    u.usage = `${spec.name} ${spec.usage}`;
    throw u;
  }
}

/** Node's parseArgs messages, reworded to name the single-dash option as the user typed it. */
function parseArgsMessage(e: Error & { code?: string }): string {
  const m = e.message;
  if (e.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    const opt = /'([^']+)'/.exec(m)?.[1];
    return `Unrecognized option: ${opt ?? m}`;
  }
  if (e.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    const opt = /-(\w), --/.exec(m)?.[1] ?? /'-+(\w+)/.exec(m)?.[1];
    return m.includes('argument missing') ? `Missing argument for option: ${opt ?? '?'}` : m;
  }
  return m;
}
