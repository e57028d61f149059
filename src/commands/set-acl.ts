import { anyOf, obj, OK, STAT } from '../output/json-shape.js';
import { startProgress } from '../output/progress.js';
import { forEachNode } from '../tree/for-each-node.js';
import { parseAcl } from '../zk/acl.js';
import { arg, need, noMore, opt, withVersionHint, failureLines } from './common.js';
import { CONFIRM_ABOVE } from './deleteall.js';
import { CommandFailed, intOption, type CommandSpec } from './spec.js';

export default {
  name: 'setAcl',
  summary: 'replace the ACL of a znode (or of its whole subtree with -R)',
  usage: '[-s] [-v version] [-R] [-y] path acl',
  options: {
    stat: opt('s', 'print the new stat'),
    version: opt('v', 'only if the ACL version matches', 'version'),
    recursive: opt('R', 'apply to every node of the subtree'),
    yes: opt('y', 'do not ask for confirmation (-R)'),
  },
  args: [arg('path', 'znode'), arg('acl', 'acl')],
  needsConnection: true,
  help:
    'The ACL is scheme:id:perms[,scheme:id:perms…] with perms from cdrwa. A malformed entry or ' +
    'unknown letter refuses the whole command (zkCli drops the entry and applies the rest). -R works ' +
    'with many requests in flight and exits 1 naming every node it could not change.',
  examples: ['setAcl /app world:anyone:r', 'setAcl -R /app digest:u:smGaoVKd/cQkjm7b88GyorAUz20=:cdrwa'],
  json: anyOf(OK, obj({ path: 'string', stat: STAT })),
  table: 'nothing; with -s the stat as key/value',
  async run(ctx, p) {
    const path = need(p, 0, 'path');
    const acl = parseAcl(need(p, 1, 'acl'));
    noMore(p, 2);
    const version = intOption(p.options['version'], 'version', -1);
    if (!p.options['recursive']) {
      const stat = await withVersionHint(ctx, path, 'acl', () => ctx.zk.setACL(path, acl, version));
      return p.options['stat'] ? { type: 'stat', path, stat } : { type: 'none' };
    }
    if (!ctx.assumeYes && !p.options['yes'] && ctx.interactive) {
      const n = (await ctx.zk.getAllChildrenNumber(path)) + 1;
      if (n > CONFIRM_ABOVE && !(await ctx.confirm(`Set the ACL of ${n} znodes under ${path}?`))) {
        throw new CommandFailed(`setAcl -R cancelled: nothing under ${path} was changed`);
      }
    }
    const progress = { done: 0, inFlight: 0, unknown: 0 };
    let res;
    const line = startProgress('setAcl -R', () => progress.done);
    try {
      res = await forEachNode(ctx.zk, path, (x) => ctx.zk.setACL(x, acl, version), { signal: ctx.signal }, progress);
    } catch (e) {
      line.stop();
      // Refused before anything changed (a read-only data dir): the refusal is the whole story.
      if (e instanceof CommandFailed && progress.done === 0) throw e;
      // Say how far it got: the error alone (ConnectionLoss) would not tell what was changed.
      const maybe = progress.unknown > 0 ? ` (${progress.unknown} more were in requests whose outcome is unknown)` : '';
      ctx.note(
        `setAcl -R stopped: ${progress.done} znodes under ${path} were changed before the error${maybe}; run it again to finish`,
      );
      throw e;
    }
    line.stop();
    if (res.failed.length > 0) {
      throw new CommandFailed(
        `setAcl -R: ${res.failed.length} of ${res.visited} znodes were not changed`,
        failureLines(res.failed),
      );
    }
    return { type: 'none' };
  },
} as const satisfies CommandSpec;
