import { arrayOf, obj, STAT } from '../output/json-shape.js';
import { arg, need, noMore } from './common.js';
import type { CommandSpec } from './spec.js';

export default {
  name: 'ls2',
  summary: 'old form of ls -s (ZooKeeper 3.4)',
  usage: 'path',
  options: {},
  args: [arg('path', 'znode')],
  needsConnection: true,
  help: 'The 3.4 command; prints the children and the stat, with a note to use "ls -s path".',
  examples: ['ls2 /app'],
  json: obj({ path: 'string', children: arrayOf('string'), stat: STAT }),
  table: 'one column of children, then the stat',
  async run(ctx, p) {
    const path = need(p, 0, 'path');
    noMore(p, 1);
    ctx.note(`'ls2' has been deprecated. Please use 'ls -s ${path}' instead.`);
    const { children, stat } = await ctx.zk.getChildren2(path);
    return { type: 'children', path, children, stat };
  },
} as const satisfies CommandSpec;
