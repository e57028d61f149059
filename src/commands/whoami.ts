import { arrayOf, obj } from '../output/json-shape.js';
import { noMore } from './common.js';
import type { CommandSpec } from './spec.js';

export default {
  name: 'whoami',
  summary: 'print the identities of this session',
  usage: '',
  options: {},
  args: [],
  needsConnection: true,
  help: 'Prints "Auth scheme: User" and one "scheme: user" line per identity (needs ZooKeeper 3.7+).',
  examples: ['whoami'],
  json: obj({ identities: arrayOf(obj({ scheme: 'string', user: 'string' })) }),
  table: 'columns scheme, user',
  async run(ctx, p) {
    noMore(p, 0);
    const ids = await ctx.zk.whoAmI();
    return { type: 'whoami', identities: ids.map((i) => ({ scheme: i.authScheme, user: i.user })) };
  },
} as const satisfies CommandSpec;
