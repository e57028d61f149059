import { anyOf, arrayOf, obj, OK } from '../output/json-shape.js';
import { Code, ZkError } from '../zk/errors.js';
import { joinPath, validatePath } from '../zk/path.js';
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
  STATS,
} from './quota-util.js';
import { CommandFailed, UsageError, type CommandSpec, type ZkAdapter } from './spec.js';

async function hasLimits(zk: ZkAdapter, qpath: string): Promise<boolean> {
  return (await zk.exists(joinPath(qpath, LIMITS))) !== null;
}

/** The first quota'd node strictly below `qpath` in the quota tree, or null. */
async function quotaBelow(zk: ZkAdapter, qpath: string): Promise<string | null> {
  let kids: string[];
  try {
    kids = await zk.getChildren(qpath);
  } catch (e) {
    if (e instanceof ZkError && e.code === Code.NONODE) return null;
    throw e;
  }
  for (const k of kids.sort()) {
    if (k === LIMITS || k === STATS) continue;
    const child = joinPath(qpath, k);
    if (await hasLimits(zk, child)) return child;
    const deeper = await quotaBelow(zk, child);
    if (deeper) return deeper;
  }
  return null;
}

export default {
  name: 'setquota',
  summary: 'set a count or bytes quota (soft -n/-b, hard -N/-B) on a znode',
  usage: '-n|-b|-N|-B val path',
  options: {
    n: opt('n', 'soft limit on the number of nodes (> 0)', 'val'),
    b: opt('b', 'soft limit on bytes of data (>= 0)', 'val'),
    N: opt('N', 'hard limit on the number of nodes (> 0)', 'val'),
    B: opt('B', 'hard limit on bytes of data (>= 0)', 'val'),
  },
  args: [arg('path', 'znode')],
  needsConnection: true,
  help:
    'Writes /zookeeper/quota/<path>/zookeeper_limits as zkCli does. Hard limits are enforced only ' +
    'when the server runs with zookeeper.enforceQuota=true. Unlike zkCli, invalid values exit 2.',
  examples: ['setquota -n 1000 /app', 'setquota -B 1048576 /app'],
  json: anyOf(OK, obj({ warnings: arrayOf('string') })),
  table: 'nothing, or one column of warnings',
  async run(ctx, p) {
    const flag = oneQuotaFlag(p.options, true)!;
    const path = need(p, 0, 'path');
    noMore(p, 1);
    const raw = p.options[flag] as string;
    // zkCli parses counts as Java ints and bytes as longs: anything else is a NumberFormatException.
    const max = flag === 'n' || flag === 'N' ? 0x7fffffffn : 0x7fffffffffffffffn;
    const val = /^[+-]?\d+$/.test(raw) ? BigInt(raw.replace(/^\+/, '')) : null;
    if (val === null || val > max || val < -max - 1n)
      throw new UsageError('NumberFormatException happens when parsing the option value');
    if ((flag === 'n' || flag === 'N') && val <= 0n) throw new UsageError('the num quota must be greater than zero');
    if ((flag === 'b' || flag === 'B') && val < 0n)
      throw new UsageError('the bytes quota must be greater than or equal to zero');
    validatePath(path);
    if (path === QUOTA_ROOT || path.startsWith(`${QUOTA_ROOT}/`))
      throw new CommandFailed(`cannot set a quota under the path: ${QUOTA_ROOT}`);
    if (!(await ctx.zk.exists(path))) throw new CommandFailed(`${path} does not exist.`);
    const qpath = quotaPath(path);
    const child = await quotaBelow(ctx.zk, qpath);
    if (child) throw new CommandFailed(`${path} has a child ${child.slice(QUOTA_ROOT.length)} which has a quota`);
    const parts = path.split('/').filter(Boolean);
    for (let i = 1; i < parts.length; i++) {
      const ancestor = `/${parts.slice(0, i).join('/')}`;
      if (await hasLimits(ctx.zk, quotaPath(ancestor)))
        throw new CommandFailed(`${path} has a parent ${ancestor} which has a quota`);
    }
    let prefix = QUOTA_ROOT;
    for (const part of parts) {
      prefix = joinPath(prefix, part);
      try {
        await ctx.zk.create(prefix, null);
      } catch (e) {
        if (!(e instanceof ZkError && e.code === Code.NODEEXISTS)) throw e;
      }
    }
    const limitsPath = joinPath(qpath, LIMITS);
    const key = QUOTA_FLAGS[flag];
    const current = await readQuotaNode(ctx.zk, limitsPath);
    const existing = current !== null;
    const limits = parseStatsTrack(current);
    if (!existing) for (const k of Object.values(QUOTA_FLAGS)) limits[k] = -1n;
    limits[key] = val;
    if (existing) {
      await ctx.zk.setData(limitsPath, Buffer.from(formatStatsTrack(limits)));
    } else {
      await ctx.zk.create(limitsPath, Buffer.from(formatStatsTrack(limits)));
      await ctx.zk.create(joinPath(qpath, STATS), Buffer.from('count=0,bytes=0')).catch((e: unknown) => {
        if (!(e instanceof ZkError && e.code === Code.NODEEXISTS)) throw e;
      });
    }
    const warnings: string[] = [];
    const statsText = await readQuotaNode(ctx.zk, joinPath(qpath, STATS));
    if (statsText !== null) {
      const stats = parseStatsTrack(statsText);
      // The limit just set, soft or hard, against what the subtree already holds.
      const counts = flag === 'n' || flag === 'N';
      if (counts && (stats['count'] ?? 0n) > val)
        warnings.push(`[Warning]: the count quota you create is less than the existing count:${stats['count']}`);
      if (!counts && (stats['bytes'] ?? 0n) > val)
        warnings.push(`[Warning]: the bytes quota you create is less than the existing bytes:${stats['bytes']}`);
    }
    return warnings.length ? { type: 'lines', name: 'warnings', lines: warnings } : { type: 'none' };
  },
} as const satisfies CommandSpec;
