import { OK } from '../output/json-shape.js';
import { AddWatchMode } from '../zk/protocol.js';
import { arg, need, noMore, opt } from './common.js';
import { UsageError, type CommandSpec } from './spec.js';

export default {
  name: 'addWatch',
  summary: 'add a persistent watch (PERSISTENT or PERSISTENT_RECURSIVE)',
  usage:
    '[-m mode] path # optional mode is one of [PERSISTENT, PERSISTENT_RECURSIVE] - default is PERSISTENT_RECURSIVE',
  options: { mode: opt('m', 'PERSISTENT or PERSISTENT_RECURSIVE (default), any case', 'mode') },
  args: [arg('path', 'znode')],
  needsConnection: true,
  help:
    'The watch stays until removed (removewatches) and fires for every change; events are printed ' +
    'as WATCHER:: blocks. Works on a node that does not exist yet. A bad mode is a usage error ' +
    '(zkCli crashes). Needs ZooKeeper 3.6+.',
  examples: ['addWatch /app', 'addWatch -m PERSISTENT /app/config'],
  json: OK,
  table: 'prints nothing',
  async run(ctx, p) {
    const path = need(p, 0, 'path');
    noMore(p, 1);
    const m = (p.options['mode'] as string | undefined)?.toUpperCase() ?? 'PERSISTENT_RECURSIVE';
    if (m !== 'PERSISTENT' && m !== 'PERSISTENT_RECURSIVE') {
      throw new UsageError(`${String(p.options['mode'])} is not a valid mode: use PERSISTENT or PERSISTENT_RECURSIVE`);
    }
    await ctx.zk.addWatch(path, AddWatchMode[m], true);
    return { type: 'none' };
  },
} as const satisfies CommandSpec;
