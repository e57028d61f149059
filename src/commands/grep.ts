import { anyOf, obj } from '../output/json-shape.js';
import { withProgress } from '../output/progress.js';
import { compileGrep, type DataMatcher } from '../search/grep-match.js';
import { isPathError, type GrepRow } from '../search/results.js';
import { withNodeData, type DataReader } from '../tree/node-data.js';
import { subtreePaths } from '../tree/walk.js';
import { Code, ZkError } from '../zk/errors.js';
import { arg, need, noMore, opt } from './common.js';
import type { CommandSpec, PathError } from './spec.js';
import { mustExist } from './tree.js';

type Mode = 'lines' | 'files' | 'count';

async function* grepRows(
  zk: DataReader,
  paths: AsyncIterable<string | PathError>,
  m: DataMatcher,
  mode: Mode,
): AsyncGenerator<GrepRow | PathError> {
  for await (const { item, node } of withNodeData(zk, paths, (x) => (isPathError(x) ? null : x), 'data')) {
    if (isPathError(item)) {
      yield item;
      continue;
    }
    if (node instanceof ZkError) {
      if (node.code !== Code.NONODE) yield { path: item, error: node };
      continue;
    }
    if (!node?.data) continue;
    const { binary, hits } = m.lines(node.data);
    if (hits.length === 0) continue;
    const b = binary ? { binary } : {};
    if (mode === 'files') yield { path: item, ...b };
    else if (mode === 'count') yield { path: item, count: hits.length, ...b };
    else for (const h of hits) yield { path: item, lineNumber: h.n, line: h.line, ...b };
  }
}

export default {
  name: 'grep',
  summary: 'search the data of every node of a subtree',
  usage: '[-i] [-l] [-c] [-E] pattern [path]',
  options: {
    ignoreCase: opt('i', 'ignore case'),
    files: opt('l', 'print only the paths of nodes whose data matches'),
    count: opt('c', 'print path: number of matching lines, for nodes that match'),
    extended: opt('E', 'the pattern is an extended (JavaScript) regular expression'),
  },
  args: [arg('pattern', 'word'), arg('path', 'znode', true)],
  needsConnection: true,
  help:
    "Reads every node's data under path (default: the current path, / unless cd moved it) in multiRead batches beside the ls -R walk and prints " +
    '"path: line" for each matching line, in ls -R order. The pattern is a basic regular expression as in ' +
    'grep(1) (+ ? | ( ) { } are literal unless escaped); with -E a JavaScript regular expression. Data that ' +
    'is not UTF-8 is matched byte for byte and its lines are shown with \\xNN escapes. Exit 0 if something ' +
    'matched, 1 if nothing did (as grep(1), silently), 2 for a bad pattern; a node that cannot be read is ' +
    'reported on stderr and the command exits 1. JSON: one object per line.',
  examples: ["grep -l '9092' /kafka/brokers", "grep -c -i 'enabled' /services", "grep -E 'leader\":[0-9]+' /brokers"],
  json: anyOf(
    obj({ path: 'string', lineNumber: 'integer', line: 'string', 'binary?': 'boolean' }),
    obj({ path: 'string', 'binary?': 'boolean' }),
    obj({ path: 'string', count: 'integer', 'binary?': 'boolean' }),
    obj({ path: 'string', error: 'string', message: 'string' }),
  ),
  table: 'columns path and line (-c: count; -l: path only)',
  async run(ctx, p) {
    const pattern = need(p, 0, 'pattern');
    const path = p.args[1] ?? ctx.shell.cwd;
    noMore(p, 2);
    const m = compileGrep(pattern, { ignoreCase: !!p.options['ignoreCase'], extended: !!p.options['extended'] });
    const mode: Mode = p.options['files'] ? 'files' : p.options['count'] ? 'count' : 'lines';
    await mustExist(ctx, path);
    const walk = withProgress('grep', subtreePaths(ctx.zk, path, { signal: ctx.signal }), ctx.signal, (x) =>
      isPathError(x) ? 0 : 1,
    );
    return { type: 'grep', path, mode, rows: grepRows(ctx.zk, walk, m, mode) };
  },
} as const satisfies CommandSpec;
