import { obj } from '../output/json-shape.js';
import { arg, need, noMore } from './common.js';
import type { CommandSpec } from './spec.js';

export default {
  name: 'getAllChildrenNumber',
  summary: 'count all descendants of a znode',
  usage: 'path',
  options: {},
  args: [arg('path', 'znode')],
  needsConnection: true,
  help: 'The node itself is not counted. Needs ZooKeeper 3.6+.',
  examples: ['getAllChildrenNumber /app'],
  json: obj({ path: 'string', count: 'integer' }),
  table: 'key/value: path, count',
  async run(ctx, p) {
    const path = need(p, 0, 'path');
    noMore(p, 1);
    return { type: 'number', path, value: await ctx.zk.getAllChildrenNumber(path) };
  },
} as const satisfies CommandSpec;
