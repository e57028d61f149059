import { arrayOf, obj } from '../output/json-shape.js';
import { noMore, arg } from './common.js';
import { InvalidArgumentError } from '../zk/errors.js';
import type { CommandSpec } from './spec.js';

export default {
  name: 'getEphemerals',
  summary: "list this session's ephemeral nodes (optionally under a path prefix)",
  usage: 'path',
  options: {},
  // A prefix: `/app/` and `/app` match different nodes, so a trailing slash is kept.
  args: [{ ...arg('path', 'znode', true), keepTrailingSlash: true }],
  needsConnection: true,
  help:
    'The path is a plain string prefix of the full server path (not chrooted), as in ZooKeeper; a relative one ' +
    'is resolved against the current path (`cd`). Needs 3.6+.',
  examples: ['getEphemerals', 'getEphemerals /app'],
  json: obj({ ephemerals: arrayOf('string') }),
  table: 'one column of paths',
  async run(ctx, p) {
    noMore(p, 1);
    // A prefix must still look like a path (zkCli: "Path must start with / character").
    if (p.args[0] !== undefined && !p.args[0].startsWith('/'))
      throw new InvalidArgumentError('Path must start with / character');
    return { type: 'ephemerals', paths: await ctx.zk.getEphemerals(p.args[0] ?? '/') };
  },
} as const satisfies CommandSpec;
