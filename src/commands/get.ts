import { anyOf, literal, obj, STAT } from '../output/json-shape.js';
import { UsageError, type CommandSpec } from './spec.js';
import { arg, legacyWatch, need, opt } from './common.js';

export default {
  name: 'get',
  summary: 'print the data of a znode',
  usage: '[-s] [-w] [-b] [-x] path',
  options: {
    stat: opt('s', 'also print the stat'),
    watch: opt('w', 'set a data watch'),
    base64: opt('b', 'print the data as base64 (binary-safe)'),
    hex: opt('x', 'print the data as a hex dump'),
  },
  args: [arg('path', 'znode')],
  needsConnection: true,
  help:
    'Prints the data as UTF-8 ("null" when the node has no data). On a terminal, control characters ' +
    'are shown as \\xNN (bidi controls as \\u202e etc.) so binary data cannot drive the screen. -b and -x print it losslessly.',
  examples: ['get /app/config', 'get -s /app', 'get -b /app/blob'],
  json: obj({
    path: 'string',
    data: anyOf('string', 'null'),
    encoding: anyOf(literal('utf8'), literal('base64'), 'null'),
    'stat?': STAT,
  }),
  table: 'key/value: path, data (as the zkcli format shows it; -b base64, -x a hex dump), then the stat with -s',
  async run(ctx, p) {
    const path = need(p, 0, 'path');
    const watch = !!p.options['watch'] || legacyWatch(ctx, p, 'get', '[-s] [-w]');
    if (p.options['base64'] && p.options['hex']) throw new UsageError('-b and -x cannot be combined');
    const { data, stat } = await ctx.zk.getData(path, watch);
    const encoding = p.options['base64'] ? 'base64' : p.options['hex'] ? 'hex' : 'text';
    return p.options['stat'] ? { type: 'data', path, data, stat, encoding } : { type: 'data', path, data, encoding };
  },
} as const satisfies CommandSpec;
