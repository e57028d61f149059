import { anyOf, arrayOf, obj, STAT } from '../output/json-shape.js';
import { withProgress } from '../output/progress.js';
import { isPathError } from '../search/results.js';
import { subtreePathBatches, type ChildLister } from '../tree/walk.js';
import { arg, legacyWatch, need, opt } from './common.js';
import type { CommandSpec } from './spec.js';

export default {
  name: 'ls',
  summary: 'list the children of a znode',
  usage: '[-s] [-w] [-R] path',
  options: {
    stat: opt('s', 'also print the stat of the node'),
    watch: opt('w', 'set a child watch (with -R: on every node)'),
    recursive: opt('R', 'list the whole subtree, one absolute path per line, in zkCli order'),
  },
  args: [arg('path', 'znode')],
  needsConnection: true,
  help:
    'Prints the children as [a, b, c], sorted. -R streams the subtree with many requests in flight ' +
    '(zkCli waits for each reply); the order is the same as zkCli. A node it cannot list (no permission, a ' +
    'reply over --max-buffer) is reported where it was met and the command exits 1 after listing the rest ' +
    '(JSON: an "errors" array): the listing may be incomplete. Leaves the server\'s count shows to be leaves, ' +
    'with no write anywhere meanwhile, are not listed, so a leaf it may not read is not an error then. ' +
    'The 3.4 form "ls path watch" still works.',
  examples: ['ls /', 'ls -s /app', 'ls -R /app'],
  json: anyOf(
    obj({ path: 'string', children: arrayOf('string'), 'stat?': STAT }),
    obj({
      path: 'string',
      paths: arrayOf('string'),
      'errors?': arrayOf(obj({ path: 'string', error: 'string', message: 'string' })),
    }),
  ),
  table: 'one column of children, then the stat with -s; -R has none (it streams): a usage error, exit 2',
  async run(ctx, p) {
    const path = need(p, 0, 'path');
    const watch = !!p.options['watch'] || legacyWatch(ctx, p, 'ls');
    if (p.options['recursive']) {
      // Fail on a missing start node before streaming (zkCli: "Node does not exist: <path>"); the walk
      // starts from this listing rather than asking for it again.
      const lister: ChildLister = ctx.zk;
      // With its zxid, the walk can tell the tree has not changed since (see WIDE_SHARE in walk.ts).
      const { children: rootChildren, zxid: rootZxid } =
        !watch && lister.childrenAt ? await lister.childrenAt(path) : { children: await lister.getChildren(path) };
      const walk = subtreePathBatches(lister, path, {
        watch,
        signal: ctx.signal,
        rootChildren,
        ...(rootZxid !== undefined ? { rootZxid } : {}),
      });
      // The walk hands over whole batches; the progress line counts the paths in them.
      const count = (b: readonly unknown[]): number => {
        let n = b.length;
        for (const x of b) if (typeof x !== 'string' && isPathError(x)) n--;
        return n;
      };
      return { type: 'paths', path, paths: withProgress('ls -R', walk, ctx.signal, count) };
    }
    if (p.options['stat']) {
      const { children, stat } = await ctx.zk.getChildren2(path, watch);
      return { type: 'children', path, children, stat };
    }
    return { type: 'children', path, children: await ctx.zk.getChildren(path, watch) };
  },
} as const satisfies CommandSpec;
