import { arg, need, noMore } from './common.js';
import { CommandFailed, UsageError, type CommandSpec } from './spec.js';

/** Java's Integer.decode: 10, 0x1f, #1f, 010 (octal), with an optional sign. */
export function decodeInt(s: string): number | null {
  const m = /^([+-]?)(0[xX][0-9a-fA-F]+|#[0-9a-fA-F]+|0[0-7]+|\d+)$/.exec(s);
  if (!m) return null;
  const body = m[2]!;
  const v = /^0[xX]/.test(body)
    ? parseInt(body.slice(2), 16)
    : body.startsWith('#')
      ? parseInt(body.slice(1), 16)
      : body.length > 1 && body.startsWith('0')
        ? parseInt(body, 8)
        : parseInt(body, 10);
  return m[1] === '-' ? -v : v;
}

export default {
  name: 'redo',
  summary: 'run a command from the history again',
  usage: 'cmdno',
  options: {},
  args: [arg('cmdno', 'number')],
  needsConnection: false,
  help: "Takes zkCli's number forms (10, 0xa, 012). A non-number is a usage error (zkCli crashes).",
  examples: ['redo 3'],
  json: 'any',
  table: 'that of the command it runs again',
  async run(ctx, p) {
    const raw = need(p, 0, 'cmdno');
    noMore(p, 1);
    const n = decodeInt(raw);
    if (n === null) throw new UsageError(`redo takes a command number, got: ${raw}`);
    const entry = ctx.shell.history().find((e) => e.n === n);
    if (!entry) throw new CommandFailed('Command index out of range');
    if (/^\s*redo(\s|$)/.test(entry.line)) throw new CommandFailed('No redoing redos');
    return ctx.shell.rerun(entry.line);
  },
} as const satisfies CommandSpec;
