import { OK } from '../output/json-shape.js';
import { arg, need, noMore, opt, withVersionHint } from './common.js';
import { intOption, type CommandSpec } from './spec.js';

export default {
  name: 'delete',
  summary: 'delete a znode that has no children',
  usage: '[-v version] path',
  options: { version: opt('v', 'only if the data version matches', 'version') },
  args: [arg('path', 'znode')],
  needsConnection: true,
  help: 'Silent on success. The 3.4 form "delete path version" still works. Use deleteall for a subtree.',
  examples: ['delete /app/x', 'delete -v 2 /app/x'],
  json: OK,
  table: 'prints nothing',
  async run(ctx, p) {
    const path = need(p, 0, 'path');
    let version = intOption(p.options['version'], 'version', -1);
    if (p.args.length === 2 && p.options['version'] === undefined) {
      ctx.note("'delete path [version]' has been deprecated. Please use 'delete [-v version] path' instead.");
      version = intOption(p.args[1], 'version', -1);
    } else noMore(p, 1);
    await withVersionHint(ctx, path, 'data', () => ctx.zk.delete(path, version));
    return { type: 'none' };
  },
  toMultiOp(p) {
    if (p.args.length !== 1) return null;
    const path = need(p, 0, 'path');
    return {
      op: { type: 'delete', path, version: intOption(p.options['version'], 'version', -1) },
      result: () => ({ type: 'none' }),
    };
  },
} as const satisfies CommandSpec;
