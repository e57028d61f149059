import { obj } from '../output/json-shape.js';
import { Code, ZkError } from '../zk/errors.js';
import { noMore } from './common.js';
import type { CommandSpec } from './spec.js';

export default {
  name: 'cd',
  summary: 'change the current path (relative paths resolve against it)',
  usage: '[path|..|-]',
  options: {},
  // `-` is the previous path, not a node named "-" (write ./- for that one).
  args: [{ name: 'path', kind: 'znode', optional: true, keep: ['-'] }],
  needsConnection: true,
  help:
    'Makes PATH the current path: every command then takes paths relative to it (`ls child`, ' +
    '`get ../sibling/x`, `deleteall ./tmp`), and the prompt shows it after the state. Without PATH goes ' +
    "to /; `..` goes up; `-` goes back to the previous path and prints it. The node must exist (zkCli's " +
    '`Node does not exist: PATH` otherwise). With a chroot in the connect string, / is the chroot. ' +
    '`connect` to another connect string goes back to /.',
  examples: ['cd /app', 'cd config', 'cd ..', 'cd -', 'cd'],
  json: obj({ cwd: 'string' }),
  table: 'key/value: cwd',
  async run(ctx, p) {
    noMore(p, 1);
    const typed = p.args[0];
    const back = typed === '-';
    const path = typed === undefined ? '/' : back ? ctx.shell.previousCwd : typed;
    if (!(await ctx.zk.exists(path))) throw new ZkError(Code.NONODE, path);
    ctx.shell.changeDir(path);
    return { type: 'cwd', path, print: back };
  },
} as const satisfies CommandSpec;
