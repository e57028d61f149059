import { Code, ZkError } from '../zk/errors.js';
import { joinPath, validatePath } from '../zk/path.js';
import { arg, need, noMore } from './common.js';
import { LIMITS, quotaPath, STATS } from './quota-util.js';
import { CommandFailed, type CommandSpec } from './spec.js';

export default {
  name: 'listquota',
  summary: 'print the quota and the usage of a znode',
  usage: 'path',
  options: {},
  args: [arg('path', 'znode')],
  needsConnection: true,
  help: 'Prints "Output quota for <path> <limits>" and "Output stat for <path> <usage>". Without a '
    + 'quota it says so and exits 1 (zkCli exits 0).',
  examples: ['listquota /app'],
  async run(ctx, p) {
    const path = need(p, 0, 'path');
    noMore(p, 1);
    validatePath(path);
    const q = quotaPath(path);
    ctx.note(`absolute path is ${joinPath(q, LIMITS)}`);
    const read = async (name: string): Promise<string | null> => {
      try {
        return (await ctx.zk.getData(joinPath(q, name))).data?.toString('utf8') ?? '';
      } catch (e) {
        if (e instanceof ZkError && e.code === Code.NONODE) return null;
        throw e;
      }
    };
    const limits = await read(LIMITS);
    if (limits === null) {
      throw new CommandFailed(`quota for ${path} does not exist.`);
    }
    return { type: 'quota', path, limits, stats: await read(STATS) };
  },
} as const satisfies CommandSpec;
