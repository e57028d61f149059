import { obj, STAT } from '../output/json-shape.js';
import { arg, legacyWatch, need, opt } from './common.js';
import { ZkError, Code } from '../zk/errors.js';
import type { CommandSpec } from './spec.js';

export default {
  name: 'stat',
  summary: 'print the stat of a znode',
  usage: '[-w] path',
  options: { watch: opt('w', 'set a watch (fires on create, change or delete)') },
  args: [arg('path', 'znode')],
  needsConnection: true,
  help:
    'Prints the 11-line stat block. Needs no permission on the node. Without a path, ' +
    '`zk-shell stat` is the four-letter word of the same name.',
  examples: ['stat /app', 'stat -w /app/leader'],
  json: obj({ path: 'string', stat: STAT }),
  table: 'key/value: path, then the stat',
  async run(ctx, p) {
    const path = need(p, 0, 'path');
    const watch = !!p.options['watch'] || legacyWatch(ctx, p, 'stat');
    const stat = await ctx.zk.exists(path, watch);
    if (!stat) throw new ZkError(Code.NONODE, path);
    return { type: 'stat', path, stat };
  },
} as const satisfies CommandSpec;
