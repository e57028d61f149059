import { OK } from '../output/json-shape.js';
import { WatcherType } from '../zk/protocol.js';
import { arg, need, noMore, opt } from './common.js';
import { UsageError, type CommandSpec } from './spec.js';

const TYPES = {
  children: WatcherType.Children,
  data: WatcherType.Data,
  any: WatcherType.Any,
  persistent: WatcherType.Persistent,
  recursive: WatcherType.PersistentRecursive,
} as const;

export default {
  name: 'removewatches',
  summary: 'remove the watches on a znode',
  usage: 'path [-c|-d|-a|-p|-r] [-l]',
  options: {
    children: opt('c', 'child watches'),
    data: opt('d', 'data watches'),
    any: opt('a', 'any watch (the default)'),
    persistent: opt('p', 'persistent watches (ZooKeeper 3.9+)'),
    recursive: opt('r', 'persistent recursive watches (ZooKeeper 3.9+)'),
    local: opt('l', 'remove only in this client, even without a server'),
  },
  args: [arg('path', 'znode')],
  needsConnection: true,
  help: 'Removed watches fire a ...WatchRemoved event. With nothing to remove: "KeeperErrorCode = No such watcher for <path>".',
  examples: ['removewatches /app', 'removewatches /app -d'],
  json: OK,
  table: 'prints nothing',
  async run(ctx, p) {
    const path = need(p, 0, 'path');
    noMore(p, 1);
    const chosen = (Object.keys(TYPES) as (keyof typeof TYPES)[]).filter((k) => p.options[k]);
    if (chosen.length > 1) throw new UsageError('only one of -c, -d, -a, -p, -r may be given');
    await ctx.zk.removeWatches(path, TYPES[chosen[0] ?? 'any'], !!p.options['local']);
    return { type: 'none' };
  },
} as const satisfies CommandSpec;
