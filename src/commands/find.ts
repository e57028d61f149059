import { anyOf, obj } from '../output/json-shape.js';
import { withProgress } from '../output/progress.js';
import { compileFind, type FindTests } from '../search/match.js';
import { isPathError } from '../search/results.js';
import { depthLimited } from '../tree/depth-limit.js';
import { withNodeData, type DataReader } from '../tree/node-data.js';
import { subtreePaths } from '../tree/walk.js';
import { Code, ZkError } from '../zk/errors.js';
import { arg, longOpt, noMore } from './common.js';
import type { CommandSpec, PathError } from './spec.js';
import { intOption, UsageError } from './spec.js';
import { mustExist } from './tree.js';

const str = (v: string | boolean | undefined): string | undefined => (typeof v === 'string' ? v : undefined);

/** Characters picomatch gives a meaning to, escaped so that a node name is matched as written. */
const escapeGlob = (name: string): string => name.replace(/[*?[\]{}()!+@|^$\\]/g, '\\$&');

/**
 * A -path glob whose first name is `.`, `..` or a plain name is relative to the current path, as a path
 * argument is (`find .. -path '../*'`, find(1)'s `./x/*`): the paths it is matched against are absolute, so
 * as written it could never match. One that starts with / or a wildcard (`**` anywhere) is kept as written.
 */
export function resolvePathGlob(cwd: string, glob: string | undefined): string | undefined {
  if (glob === undefined || glob.startsWith('/')) return glob;
  const words = glob.split('/');
  if (words[0] === '' || /[*?[\]{}()!+@\\]/.test(words[0]!)) return glob;
  const parts = cwd === '/' ? [] : cwd.slice(1).split('/');
  let i = 0;
  for (; words[i] === '.' || words[i] === '..'; i++) if (words[i] === '..') parts.pop();
  return `/${[...parts.map(escapeGlob), ...words.slice(i)].filter((w) => w !== '').join('/')}`;
}

/** Keeps the paths that pass the stat tests, reading stats beside the walk only for paths that passed the rest. */
async function* byStat(
  zk: DataReader,
  paths: AsyncIterable<string | PathError>,
  test: NonNullable<FindTests['byStat']>,
): AsyncGenerator<string | PathError> {
  for await (const { item, node } of withNodeData(zk, paths, (x) => (isPathError(x) ? null : x), 'stat')) {
    if (node === null || isPathError(item)) yield item;
    else if (node instanceof ZkError) {
      if (node.code !== Code.NONODE) yield { path: item, error: node };
    } else if (test(item, node.stat)) yield item;
  }
}

async function* byPath(
  paths: AsyncIterable<string | PathError>,
  test: FindTests['byPath'],
): AsyncGenerator<string | PathError> {
  for await (const x of paths) if (isPathError(x) || test(x)) yield x;
}

export default {
  name: 'find',
  summary: 'list the nodes of a subtree that match tests on name, path, kind, emptiness or age',
  usage: '[-name glob] [-path glob] [-regex re] [-type p|e|s|c|t] [-maxdepth n] [-empty] [-newer-than duration] [path]',
  options: {
    name: longOpt('name', "the node's name matches the glob (picomatch: *, ?, [ab], {a,b})", {
      singleDash: true,
      valueName: 'glob',
    }),
    path: longOpt(
      'path',
      'the whole path matches the glob (* stops at /, ** crosses it; ./x, ../x or x/y is relative)',
      {
        singleDash: true,
        valueName: 'glob',
      },
    ),
    regex: longOpt('regex', 'the whole path matches the JavaScript regular expression', {
      singleDash: true,
      valueName: 're',
    }),
    type: longOpt(
      'type',
      'kind: p persistent, e ephemeral, s sequential (by its 10-digit suffix), c container, t TTL (see below); a comma list for any of several',
      { singleDash: true, valueName: 'kind' },
    ),
    maxdepth: longOpt('maxdepth', 'descend at most this many levels below path (0: path itself)', {
      singleDash: true,
      valueName: 'n',
    }),
    empty: longOpt('empty', 'no data and no children', { singleDash: true }),
    newerThan: longOpt('newer-than', 'modified within the duration (90s, 15m, 2h, 7d, 1w)', {
      singleDash: true,
      valueName: 'duration',
    }),
  },
  args: [arg('path', 'znode', true)],
  needsConnection: true,
  help:
    'Prints the paths under path (default: the current path, itself included) that pass every test, one per line, in ls -R ' +
    'order, as they are found: the same pipelined walk as ls -R, at the same cost. -type (except s), ' +
    '-empty and -newer-than also read the stat of each path that passed the other tests, in multiRead ' +
    'batches beside the walk. Globs are picomatch globs and match names starting with a dot too; a bad ' +
    'glob, regular expression, type or duration is a usage error (exit 2) before anything is read. A node ' +
    'it cannot list is reported on stderr where it was met and the command exits 1 after the rest (as ls -R, ' +
    "not for a leaf the server's count showed to be one). " +
    'Finding nothing is not an error (exit 0), as find(1). A live server reports container and TTL nodes ' +
    'to clients with ephemeralOwner 0, so to -type they are persistent (c and t match nothing, and say so). ' +
    'JSON: one object per line.',
  examples: [
    "find /kafka -name 'state' -maxdepth 5",
    'find /services -type e',
    "find / -path '/app/**/config' -newer-than 1h",
    "find /locks -regex '.*-lock-[0-9]+' -empty",
  ],
  json: anyOf(obj({ path: 'string' }), obj({ path: 'string', error: 'string', message: 'string' })),
  table: 'one column of paths',
  async run(ctx, p) {
    const path = p.args[0] ?? ctx.shell.cwd;
    noMore(p, 1);
    const o = p.options;
    const tests = compileFind({
      name: str(o['name']),
      path: resolvePathGlob(ctx.shell.cwd, str(o['path'])),
      regex: str(o['regex']),
      type: str(o['type']),
      empty: !!o['empty'],
      newerThan: str(o['newerThan']),
    });
    if (typeof o['type'] === 'string' && /[ct]/.test(o['type']))
      ctx.note(
        'find: ZooKeeper shows container and TTL nodes to clients as persistent (ephemeralOwner 0): -type c and t ' +
          'match only where a stat carries the kind',
      );
    const max = o['maxdepth'] === undefined ? Infinity : intOption(o['maxdepth'], '-maxdepth', 0);
    if (max < 0) throw new UsageError(`-maxdepth must be 0 or more, got ${max}`);
    await mustExist(ctx, path);
    // -maxdepth 0: the start node alone (nothing is listed).
    const walk = max === 0 ? single(path) : subtreePaths(depthLimited(ctx.zk, path, max), path, { signal: ctx.signal });
    const counted = withProgress('find', walk, ctx.signal, (x) => (isPathError(x) ? 0 : 1));
    const named = byPath(counted, (x) => tests.byPath(x));
    return { type: 'found', path, rows: tests.byStat ? byStat(ctx.zk, named, tests.byStat) : named };
  },
} as const satisfies CommandSpec;

async function* single(path: string): AsyncGenerator<string> {
  yield await Promise.resolve(path);
}
