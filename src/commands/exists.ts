import { obj, STAT } from '../output/json-shape.js';
import { arg, need, noMore, opt } from './common.js';
import type { CommandSpec } from './spec.js';

export default {
  name: 'exists',
  summary: 'test whether a znode exists (exit 0 if it does, 1 if not)',
  usage: '[-s] path',
  options: { stat: opt('s', 'print the stat when it exists') },
  args: [arg('path', 'znode')],
  needsConnection: true,
  help:
    'For scripts, like test -e: exit code 0 when the node exists, 1 when it does not, and nothing on ' +
    'stdout or stderr either way (with -s the stat of an existing node is printed). Other failures (a ' +
    'malformed path, no connection) keep their own exit codes and messages. In --format json it prints ' +
    '{"path": …, "exists": true|false}. Needs no permission on the node.',
  examples: ['exists /app/leader', 'exists -s ../config'],
  json: obj({ path: 'string', exists: 'boolean', 'stat?': STAT }),
  table: 'key/value: path, exists, then the stat with -s',
  async run(ctx, p) {
    const path = need(p, 0, 'path');
    noMore(p, 1);
    const stat = await ctx.zk.exists(path);
    return { type: 'exists', path, stat, print: !!p.options['stat'] };
  },
} as const satisfies CommandSpec;
