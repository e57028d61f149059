import { arrayOf, obj } from '../output/json-shape.js';
import { describeShape, namedShapes } from '../output/json-shape.js';
import { arg, noMore, optionLabel } from './common.js';
import { UsageError, type CommandSpec } from './spec.js';

/** "cmd usage" for the command list (zkCli's usage block line). */
export const usageLine = (c: Pick<CommandSpec, 'name' | 'usage'>): string => `${c.name} ${c.usage}`;

/** zkCli's usage block: the header, then one TAB-indented line per command, sorted. */
export function usageBlock(all: readonly CommandSpec[]): string[] {
  return [
    'ZooKeeper -server host:port -client-configuration properties-file cmd args',
    ...[...all].sort((a, b) => (a.name < b.name ? -1 : 1)).map((c) => `\t${usageLine(c)}`),
  ];
}

/** Full help of one command, as printed by `help cmd` and in the man page. */
export function commandHelp(c: CommandSpec): string[] {
  const out = [`${c.name} - ${c.summary}`, '', `usage: ${usageLine(c)}`];
  if (c.aliases?.length) out.push(`aliases: ${c.aliases.join(', ')}`);
  const opts = Object.values(c.options);
  if (opts.length) {
    out.push('', 'options:');
    for (const o of opts) out.push(`  ${optionLabel(o)}  ${o.description}`);
  }
  out.push('', c.help);
  if (c.examples.length) out.push('', 'examples:', ...c.examples.map((e) => `  ${e}`));
  const json =
    typeof c.json === 'object' && 'anyOf' in c.json
      ? c.json.anyOf.map((a) => describeShape(a))
      : [describeShape(c.json)];
  const defs = [...namedShapes(c.json)].map(([n, s]) => `  where ${n} = ${describeShape(s)}`);
  out.push('', '--format json:', ...json.map((j) => `  ${j}`), ...defs, `--format table: ${c.table}`);
  return out;
}

export default {
  name: 'help',
  summary: 'list the commands, or explain one',
  usage: '[cmd]',
  options: {},
  args: [arg('cmd', 'word', true)],
  needsConnection: false,
  help: 'Unlike zkCli (where "help" is an unknown command), help is a command and exits 0.',
  examples: ['help', 'help deleteall'],
  json: obj({ help: arrayOf('string') }),
  table: 'one column of the help lines',
  async run(ctx, p) {
    noMore(p, 1);
    const name = p.args[0];
    // The registry comes through the context: importing it here would be an import cycle.
    const commands = ctx.shell.commands;
    if (name === undefined) return { type: 'lines', name: 'help', lines: usageBlock(commands) };
    const c = commands.find((x) => x.name === name || x.aliases?.includes(name));
    if (!c) throw new UsageError(`no such command: ${name}`);
    return { type: 'lines', name: 'help', lines: commandHelp(c) };
  },
} as const satisfies CommandSpec;
