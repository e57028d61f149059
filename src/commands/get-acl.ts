import { arrayOf, obj, ACL_ENTRY, STAT } from '../output/json-shape.js';
import { arg, need, noMore, opt } from './common.js';
import type { CommandSpec } from './spec.js';

export default {
  name: 'getAcl',
  summary: 'print the ACL of a znode',
  usage: '[-s] path',
  options: { stat: opt('s', 'also print the stat') },
  args: [arg('path', 'znode')],
  needsConnection: true,
  help: "Two lines per entry, as zkCli: 'scheme,'id then : perms (letters in the order cdrwa).",
  examples: ['getAcl /app'],
  json: obj({ path: 'string', acl: arrayOf(ACL_ENTRY), 'stat?': STAT }),
  table: 'columns scheme, id, perms; then the stat (key/value) with -s',
  async run(ctx, p) {
    const path = need(p, 0, 'path');
    noMore(p, 1);
    const { acl, stat } = await ctx.zk.getACL(path);
    return p.options['stat'] ? { type: 'acl', path, acl, stat } : { type: 'acl', path, acl };
  },
} as const satisfies CommandSpec;
