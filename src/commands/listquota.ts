import { anyOf, obj, QUOTA } from '../output/json-shape.js';
import { joinPath, validatePath } from '../zk/path.js';
import { arg, need, noMore } from './common.js';
import { LIMITS, quotaPath, readQuotaNode, STATS } from './quota-util.js';
import { CommandFailed, type CommandSpec } from './spec.js';

export default {
  name: 'listquota',
  summary: 'print the quota and the usage of a znode',
  usage: 'path',
  options: {},
  args: [arg('path', 'znode')],
  needsConnection: true,
  help:
    'Prints "Output quota for <path> <limits>" and "Output stat for <path> <usage>". Without a ' +
    'quota it says so and exits 1 (zkCli exits 0).',
  examples: ['listquota /app'],
  json: obj({ path: 'string', limits: QUOTA, stats: anyOf(QUOTA, 'null') }),
  table: 'columns count, bytes (and any hard limits); rows quota and usage',
  async run(ctx, p) {
    const path = need(p, 0, 'path');
    noMore(p, 1);
    validatePath(path);
    const q = quotaPath(path);
    ctx.note(`absolute path is ${joinPath(q, LIMITS)}`);
    const limits = await readQuotaNode(ctx.zk, joinPath(q, LIMITS));
    if (limits === null) {
      throw new CommandFailed(`quota for ${path} does not exist.`);
    }
    return { type: 'quota', path, limits, stats: await readQuotaNode(ctx.zk, joinPath(q, STATS)) };
  },
} as const satisfies CommandSpec;
