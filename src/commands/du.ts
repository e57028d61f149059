import { anyOf, obj } from '../output/json-shape.js';
import { withProgress } from '../output/progress.js';
import type { DuRow } from '../search/results.js';
import { depthBelow } from '../tree/depth-limit.js';
import { withNodeData } from '../tree/node-data.js';
import { walkTree } from '../tree/walk.js';
import { Code, ZkError } from '../zk/errors.js';
import { arg, longOpt, noMore, opt } from './common.js';
import { intOption, UsageError, type CommandContext, type CommandSpec, type PathError } from './spec.js';
import { mustExist } from './tree.js';

const under = (path: string, parent: string): boolean =>
  path.startsWith(parent === '/' ? '/' : `${parent}/`) && path !== parent;

/**
 * Subtree totals from a preorder walk: a subtree is complete when the walk leaves it, so each row comes
 * out as soon as it is known (children before their parent, as du(1) prints), holding only the open path.
 */
async function* duRows(ctx: CommandContext, root: string, maxDepth: number): AsyncGenerator<DuRow | PathError> {
  const open: DuRow[] = [];
  const close = function* (until: string | null): Generator<DuRow> {
    while (open.length > 0 && (until === null || !under(until, open[open.length - 1]!.path))) {
      const done = open.pop()!;
      const parent = open[open.length - 1];
      if (parent) {
        parent.bytes += done.bytes;
        parent.nodes += done.nodes;
      }
      if (done.depth <= maxDepth) yield done;
    }
  };
  const walk = withProgress('du', walkTree(ctx.zk, root, { signal: ctx.signal }), ctx.signal);
  for await (const { item: v, node } of withNodeData(ctx.zk, walk, (v) => v.path, 'stat')) {
    yield* close(v.path);
    if (v.error) yield { path: v.path, error: v.error };
    let bytes = 0;
    if (node instanceof ZkError) {
      if (node.code !== Code.NONODE) yield { path: v.path, error: node };
    } else if (node) bytes = node.stat.dataLength;
    open.push({ path: v.path, depth: depthBelow(root, v.path), bytes, nodes: 1 });
  }
  yield* close(null);
}

export default {
  name: 'du',
  summary: 'bytes of data and number of nodes in each subtree',
  usage: '[-d depth] [--top n] [-h] [path]',
  options: {
    depth: opt('d', 'a row for each subtree down to this depth below path (default 1; 0: path only)', 'depth'),
    top: longOpt('top', 'only the n largest rows, largest first', { valueName: 'n' }),
    human: opt('h', 'bytes in human units (K, M, G: powers of 1024)'),
  },
  args: [arg('path', 'znode', true)],
  needsConnection: true,
  help:
    'Walks the subtree of path (default: the current path, / unless cd moved it) with the ls -R walk, reading each stat in multiRead batches ' +
    'beside it, and prints a row per subtree down to -d levels: total data bytes, nodes (the subtree root ' +
    'included) and the path; children before their parent, as du(1). --top n keeps the n largest by ' +
    'bytes, largest first. On a terminal each row has a bar proportional to its share of the whole. A node ' +
    'that cannot be read is reported on stderr (its bytes are not counted) and the command exits 1. JSON: ' +
    'one object per row, per line.',
  examples: ['du /kafka', 'du -d 2 -h /services', 'du --top 10 -d 3 /'],
  json: anyOf(
    obj({ path: 'string', bytes: 'integer', nodes: 'integer', depth: 'integer' }),
    obj({ path: 'string', error: 'string', message: 'string' }),
  ),
  table: 'columns bytes, nodes, path',
  async run(ctx, p) {
    const path = p.args[0] ?? ctx.shell.cwd;
    noMore(p, 1);
    const depth = intOption(p.options['depth'], '-d', 1);
    if (depth < 0) throw new UsageError(`-d must be 0 or more, got ${depth}`);
    const top = p.options['top'] === undefined ? null : intOption(p.options['top'], '--top', 0);
    if (top !== null && top < 1) throw new UsageError(`--top must be 1 or more, got ${top}`);
    await mustExist(ctx, path);
    return { type: 'du', path, rows: duRows(ctx, path, depth), human: !!p.options['human'], top };
  },
} as const satisfies CommandSpec;
