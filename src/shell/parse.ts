import { parseArgs } from 'node:util';
import { findCommand } from '../commands/index.js';
import { UsageError, type CommandSpec, type ParsedArgs } from '../commands/spec.js';
import { optionWords } from '../commands/common.js';
import { resolveArgs } from './resolve-paths.js';

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

/**
 * Resolves the command word, parses its options with the spec's option table, and resolves relative
 * znode arguments against `cwd` (the one place every command gets them from: REPL, -c, -f, pipes).
 */
export function parseCommand(words: readonly string[], cwd = '/'): { spec: CommandSpec; parsed: ParsedArgs } {
  // Indexing, not `[name, ...rest]`: a rest pattern walks the iterator protocol (garbage per word, per line).
  const name = words[0];
  if (name === undefined) throw new UsageError('empty command');
  const rest = words.slice(1);
  // `stat` alone is the four-letter word; with a path it is the znode command.
  const spec = name === 'stat' && rest.length === 0 ? findCommand('4lw') : findCommand(name);
  if (!spec) throw new UnknownCommandError(name);
  return { spec, parsed: resolveArgs(spec, parseWith(spec, name, rest), cwd) };
}

interface OptionTables {
  /** parseArgs knows each option by its long name (`--dry-run`), or by the spec's key when it has none. */
  options: Record<string, { type: 'boolean' | 'string'; short?: string }>;
  keyOf: Map<string, string>;
  singleDash: Map<string, string>;
  /** Spellings of valued options (zkCli takes `-v -1`: a negative number as the option's value). */
  valued: Set<string>;
}

// Built once per command: a 10,000-line script parses the same spec 10,000 times.
const tablesBySpec = new WeakMap<CommandSpec, OptionTables>();

function tablesOf(spec: CommandSpec): OptionTables {
  let t = tablesBySpec.get(spec);
  if (t) return t;
  t = { options: {}, keyOf: new Map(), singleDash: new Map(), valued: new Set() };
  for (const [key, o] of Object.entries(spec.options)) {
    const long = o.long ?? key;
    t.options[long] = o.short ? { type: o.type, short: o.short } : { type: o.type };
    t.keyOf.set(long, key);
    if (o.singleDash && o.long) t.singleDash.set(`-${o.long}`, `--${o.long}`);
    if (o.type === 'string') {
      for (const w of optionWords(o)) t.valued.add(w);
      // A single-dash spelling is rewritten to --long before values are read: `-maxdepth -1` too.
      if (o.long) t.valued.add(`--${o.long}`);
    }
  }
  tablesBySpec.set(spec, t);
  return t;
}

/** Parses the words after the command name with the spec's option table. */
export function parseWith(spec: CommandSpec, name: string, rest: readonly string[]): ParsedArgs {
  if (spec.raw) return { options: {}, args: rest, invokedAs: name };
  // No word starts with a dash: only positionals (the common script line, e.g. `create /a data`).
  if (!rest.some((w) => w.startsWith('-'))) return { options: {}, args: rest.slice(), invokedAs: name };
  const { options, keyOf, singleDash, valued } = tablesOf(spec);
  const args: string[] = [];
  // Any other negative number is an argument, as commons-cli's parser takes it (`redo -1`).
  const negatives = new Map<string, string>();
  for (let i = 0; i < rest.length; i++) {
    const a = singleDash.get(rest[i]!) ?? rest[i]!;
    const next = rest[i + 1];
    if (valued.has(a) && next !== undefined && /^-\d+$/.test(next)) {
      args.push(a.startsWith('--') ? `${a}=${next}` : `${a}${next}`);
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
    const byKey: Record<string, string | boolean | undefined> = {};
    for (const [name, v] of Object.entries(values)) byKey[keyOf.get(name) ?? name] = v;
    return { options: byKey, args: restored, invokedAs: name };
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
