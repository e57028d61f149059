import { obj } from '../output/json-shape.js';
import { withProgress } from '../output/progress.js';
import { walkTree } from '../tree/walk.js';
import { Code, ZkError } from '../zk/errors.js';
import { arg, noMore } from './common.js';
import { CommandFailed, type CommandSpec } from './spec.js';

export default {
  name: 'count',
  summary: 'number of nodes under a znode (not counting itself)',
  usage: '[path]',
  options: {},
  args: [arg('path', 'znode', true)],
  needsConnection: true,
  help:
    'Prints how many nodes are below path (default: the current path, / unless cd moved it), as getAllChildrenNumber does: one request on ZooKeeper 3.6 and ' +
    'later. On an older server (or one that refuses it) it walks the subtree with the pipelined ls -R walk ' +
    'instead, with a progress line on a terminal; a node it cannot list there makes it fail (exit 1), since ' +
    'the number would be wrong.',
  examples: ['count /kafka/brokers/topics', 'count /'],
  json: obj({ path: 'string', count: 'integer' }),
  table: 'key/value: path, count',
  async run(ctx, p) {
    const path = p.args[0] ?? ctx.shell.cwd;
    noMore(p, 1);
    try {
      return { type: 'number', path, value: await ctx.zk.getAllChildrenNumber(path) };
    } catch (e) {
      if (!(e instanceof ZkError) || e.code !== Code.UNIMPLEMENTED) throw e;
    }
    let n = -1;
    for await (const v of withProgress('count', walkTree(ctx.zk, path, { signal: ctx.signal }), ctx.signal)) {
      if (v.error) throw new CommandFailed(`count: ${v.error.cliMessage}; the number would be incomplete`);
      n++;
    }
    return { type: 'number', path, value: n };
  },
} as const satisfies CommandSpec;
