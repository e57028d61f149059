import { arrayOf, obj } from '../output/json-shape.js';
import { arg, need, noMore } from './common.js';
import type { CommandSpec } from './spec.js';

export default {
  name: 'sync',
  summary: 'make the connected server catch up with the leader for a path',
  usage: 'path',
  options: {},
  args: [arg('path', 'znode')],
  needsConnection: true,
  help: 'Prints "Sync is OK". Unlike zkCli, a failure is reported and exits non-zero.',
  examples: ['sync /app'],
  json: obj({ sync: arrayOf('string') }),
  table: 'one column "Sync is OK"',
  async run(ctx, p) {
    const path = need(p, 0, 'path');
    noMore(p, 1);
    await ctx.zk.sync(path);
    return { type: 'lines', name: 'sync', lines: ['Sync is OK'] };
  },
} as const satisfies CommandSpec;
