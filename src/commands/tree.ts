import { anyOf, obj, STAT } from '../output/json-shape.js';
import { withProgress } from '../output/progress.js';
import { utf8Locale } from '../output/locale.js';
import type { TreeRow } from '../search/results.js';
import { depthLimited } from '../tree/depth-limit.js';
import { withNodeData, type DataReader } from '../tree/node-data.js';
import { walkTree } from '../tree/walk.js';
import { ZkError, Code } from '../zk/errors.js';
import { joinPath } from '../zk/path.js';
import { arg, longOpt, noMore, opt } from './common.js';
import { intOption, UsageError, type CommandContext, type CommandSpec } from './spec.js';

/** Fails on a missing start node before anything streams (zkCli's "Node does not exist: PATH"). */
export async function mustExist(ctx: CommandContext, path: string): Promise<void> {
  if ((await ctx.zk.exists(path)) === null) throw new ZkError(Code.NONODE, path);
}

/** The walk as tree rows: each node with whether it and each of its ancestors is a last child. */
async function* treeRows(ctx: CommandContext, root: string, depth: number): AsyncGenerator<TreeRow> {
  const place = new Map<string, { ancestorsLast: boolean[]; last: boolean; depth: number }>();
  place.set(root, { ancestorsLast: [], last: true, depth: 0 });
  for await (const v of walkTree(depthLimited(ctx.zk, root, depth), root, { signal: ctx.signal })) {
    const at = place.get(v.path) ?? { ancestorsLast: [], last: true, depth: 0 };
    place.delete(v.path);
    yield {
      path: v.path,
      depth: at.depth,
      ancestorsLast: at.ancestorsLast,
      last: at.last,
      ...(v.error ? { failed: v.error } : {}),
    };
    const below = at.depth === 0 ? [] : [...at.ancestorsLast, at.last];
    v.children.forEach((c, i) =>
      place.set(joinPath(v.path, c), { ancestorsLast: below, last: i === v.children.length - 1, depth: at.depth + 1 }),
    );
  }
}

async function* withStats(zk: DataReader, rows: AsyncIterable<TreeRow>): AsyncGenerator<TreeRow> {
  for await (const { item, node } of withNodeData(zk, rows, (r) => r.path, 'stat')) {
    if (node instanceof ZkError) {
      if (node.code === Code.NONODE) continue;
      yield item.failed ? item : { ...item, failed: node };
    } else yield node ? { ...item, stat: node.stat } : item;
  }
}

export default {
  name: 'tree',
  summary: 'draw a subtree with box-drawing lines',
  usage: '[-d depth] [-s] [--ascii] [path]',
  options: {
    depth: opt('d', 'show only this many levels below path', 'depth'),
    stat: opt('s', 'annotate each node: data bytes, children, (ephemeral)/(container)/(ttl)'),
    ascii: longOpt('ascii', 'draw with ASCII (|--, `--) instead of box-drawing characters'),
  },
  args: [arg('path', 'znode', true)],
  needsConnection: true,
  help:
    'Draws the subtree of path (default: the current path, / unless cd moved it) as tree(1) does, children sorted as ls sorts them, with the ' +
    'same pipelined walk as ls -R (and the same speed); -d stops listing below that depth. -s reads every ' +
    "node's stat too (multiRead batches beside the walk); a live server shows container and TTL nodes to " +
    'clients as persistent, so only (ephemeral) appears there. A node it cannot list is drawn, its error goes ' +
    "to stderr, and the command exits 1 after drawing the rest (as ls -R, not for a leaf the server's count " +
    'showed to be one). Box-drawing needs a UTF-8 terminal: ' +
    '--ascii, or a locale that is not UTF-8 (LANG/LC_ALL), draws with ASCII. JSON: one object per node, ' +
    'per line, in the order drawn.',
  examples: ['tree /app', 'tree -d 2 -s /kafka/brokers', 'tree --ascii / > tree.txt'],
  json: anyOf(
    obj({ path: 'string', depth: 'integer', 'stat?': STAT }),
    obj({ path: 'string', error: 'string', message: 'string' }),
  ),
  table: 'columns path (indented by depth); with -s also bytes, children, kind',
  async run(ctx, p) {
    const path = p.args[0] ?? ctx.shell.cwd;
    noMore(p, 1);
    const raw = p.options['depth'];
    const depth = raw === undefined ? Infinity : intOption(raw, '-d', 0);
    if (depth < 0) throw new UsageError(`-d must be 0 or more, got ${depth}`);
    await mustExist(ctx, path);
    const walk = treeRows(ctx, path, depth);
    const rows = p.options['stat'] ? withStats(ctx.zk, walk) : walk;
    return {
      type: 'tree',
      path,
      rows: withProgress('tree', rows, ctx.signal),
      stat: !!p.options['stat'],
      ascii: !!p.options['ascii'] || !utf8Locale(),
    };
  },
} as const satisfies CommandSpec;
