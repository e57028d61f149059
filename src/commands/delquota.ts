import { OK } from '../output/json-shape.js';
import { Code, ZkError } from '../zk/errors.js';
import { joinPath, parentPath, validatePath } from '../zk/path.js';
import { arg, need, noMore, opt } from './common.js';
import {
  formatStatsTrack,
  LIMITS,
  oneQuotaFlag,
  parseStatsTrack,
  QUOTA_FLAGS,
  QUOTA_ROOT,
  quotaPath,
  readQuotaNode,
} from './quota-util.js';
import { CommandFailed, type CommandSpec } from './spec.js';

export default {
  name: 'delquota',
  summary: 'remove a quota, or one of its limits',
  usage: '[-n|-b|-N|-B] path',
  options: {
    n: opt('n', 'remove the soft count limit only'),
    b: opt('b', 'remove the soft bytes limit only'),
    N: opt('N', 'remove the hard count limit only'),
    B: opt('B', 'remove the hard bytes limit only'),
  },
  args: [arg('path', 'znode')],
  needsConnection: true,
  help:
    'Without a flag removes the whole quota (and empty quota-tree parents). Without a quota it ' +
    'says "Quota does not exist for <path>" and exits 1 (zkCli exits 0).',
  examples: ['delquota /app', 'delquota -n /app'],
  json: OK,
  table: 'prints nothing',
  async run(ctx, p) {
    const flag = oneQuotaFlag(p.options, false);
    const path = need(p, 0, 'path');
    noMore(p, 1);
    validatePath(path);
    const q = quotaPath(path);
    const limitsPath = joinPath(q, LIMITS);
    const limitsText = await readQuotaNode(ctx.zk, limitsPath);
    if (limitsText === null) throw new CommandFailed(`Quota does not exist for ${path}`);
    if (flag) {
      const limits = parseStatsTrack(limitsText);
      limits[QUOTA_FLAGS[flag]] = -1n;
      await ctx.zk.setData(limitsPath, Buffer.from(formatStatsTrack(limits)));
      return { type: 'none' };
    }
    for (const k of await ctx.zk.getChildren(q)) {
      if (k === LIMITS || k === 'zookeeper_stats') await ctx.zk.delete(joinPath(q, k));
    }
    // Remove the quota node and empty ancestors, stopping at /zookeeper/quota.
    let cur = q;
    while (cur !== QUOTA_ROOT && cur.startsWith(`${QUOTA_ROOT}/`)) {
      try {
        await ctx.zk.delete(cur);
      } catch (e) {
        if (e instanceof ZkError && (e.code === Code.NOTEMPTY || e.code === Code.NONODE)) break;
        throw e;
      }
      cur = parentPath(cur);
    }
    return { type: 'none' };
  },
} as const satisfies CommandSpec;
