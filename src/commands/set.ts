import { anyOf, obj, OK, STAT } from '../output/json-shape.js';
import { arg, dataArg, need, noMore, opt, withVersionHint } from './common.js';
import { intOption, type CommandSpec, type ParsedArgs } from './spec.js';

export default {
  name: 'set',
  summary: 'replace the data of a znode',
  usage: '[-s] [-v version] [-b] path data',
  options: {
    stat: opt('s', 'print the new stat'),
    version: opt('v', 'only if the data version matches', 'version'),
    base64: opt('b', 'the data argument is base64 (binary-safe input)'),
  },
  args: [arg('path', 'znode'), arg('data', 'data')],
  needsConnection: true,
  help:
    'Silent on success unless -s. A non-numeric version is a usage error (zkCli crashes). ' +
    'The 3.4 form "set path data version" still works.',
  examples: ['set /app/config \'{"a": 1}\'', 'set -v 3 /app/config v2', 'set -b /app/blob AAEC'],
  json: anyOf(OK, obj({ path: 'string', stat: STAT })),
  table: 'nothing; with -s the stat as key/value',
  async run(ctx, p) {
    const legacy = p.args.length === 3 && p.options['version'] === undefined;
    if (legacy)
      ctx.note("'set path data version' has been deprecated. Please use 'set [-v version] path data' instead.");
    const { path, data, version } = request(p, legacy);
    const stat = await withVersionHint(ctx, path, 'data', () => ctx.zk.setData(path, data, version));
    return p.options['stat'] ? { type: 'stat', path, stat } : { type: 'none' };
  },
  toMultiOp(p) {
    // -s prints the new stat, and the legacy form prints a note: those run on their own.
    if (p.options['stat'] || p.args.length === 3) return null;
    const { path, data, version } = request(p, false);
    return { op: { type: 'setData', path, data, version }, result: () => ({ type: 'none' }) };
  },
} as const satisfies CommandSpec;

function request(p: ParsedArgs, legacy: boolean): { path: string; data: Buffer; version: number } {
  const path = need(p, 0, 'path');
  const data = dataArg(need(p, 1, 'data'), !!p.options['base64']);
  if (!legacy) noMore(p, 2);
  const version = legacy ? intOption(p.args[2], 'version', -1) : intOption(p.options['version'], 'version', -1);
  return { path, data, version };
}
