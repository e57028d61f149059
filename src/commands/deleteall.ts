import { OK } from '../output/json-shape.js';
import { startProgress } from '../output/progress.js';
import { deleteTree } from '../tree/delete-tree.js';
import { isSessionError } from '../zk/errors.js';
import { arg, need, noMore, opt, failureLines } from './common.js';
import { CommandFailed, Interrupted, intOption, type CommandSpec, type ZkAdapter } from './spec.js';

/** Nodes left in a subtree (the node itself included). */
async function remaining(zk: Pick<ZkAdapter, 'exists' | 'getAllChildrenNumber'>, path: string): Promise<number> {
  return (await zk.exists(path)) ? (await zk.getAllChildrenNumber(path)) + 1 : 0;
}

/** Above this many nodes the REPL asks before deleting (never in scripted mode). */
export const CONFIRM_ABOVE = 20;

export default {
  name: 'deleteall',
  aliases: ['rmr'],
  summary: 'delete a znode and its whole subtree',
  usage: 'path [-b batch size] [-y]',
  options: {
    batch: opt('b', 'deletes per multi request (default 1000; 0 = one at a time)', 'batch size'),
    yes: opt('y', 'do not ask for confirmation'),
  },
  args: [arg('path', 'znode')],
  needsConnection: true,
  help:
    'Lists the subtree with many requests in flight and deletes leaves first, in multi batches ' +
    "sized to fit the server's packet limit, while it lists; where a level of the tree has shown only leaves " +
    '(a wide fan-out), the rest of that level is deleted without listing each node (a node that turns out to ' +
    'have children is then deleted with its subtree). If any node cannot be deleted it names each one and exits 1 ' +
    '(zkCli may say nothing and exit 0). In the REPL it asks first when more than 20 nodes would go ' +
    '(and then counts the subtree before deleting). ' +
    'Deleting / leaves /zookeeper alone (under a chroot, a node named zookeeper is a user node and goes). ' +
    'Ctrl-C says how many znodes were deleted and how many remain; a lost connection, how many were deleted. ' +
    '"rmr" is the 3.4 name.',
  examples: ['deleteall /app/old', 'deleteall -y /tmp/x', 'deleteall /big -b 500'],
  json: OK,
  table: 'prints nothing',
  async run(ctx, p) {
    const path = need(p, 0, 'path');
    noMore(p, 1);
    const batchSize = intOption(p.options['batch'], '-b argument', 1000);
    const yes = ctx.assumeYes || !!p.options['yes'];
    // The server's own /zookeeper subtree stays; under a chroot, a user node of that name does not.
    const system = (x: string): boolean => {
      const s = ctx.zk.toServerPath(x);
      return s === '/zookeeper' || s.startsWith('/zookeeper/');
    };
    let res;
    const counts = { listed: 0, deleted: 0 };
    const line = startProgress('deleteall', () => (counts.deleted > 0 ? counts.deleted : counts.listed));
    try {
      res = await deleteTree(ctx.zk, path, {
        batchSize,
        signal: ctx.signal,
        progress: counts,
        exclude: (x) => x === '/' || system(x),
        // Asking needs the count first; without a question (-y, scripts, one-shot) deletes stream behind the
        // walk instead: listing and deleting overlap, and memory stays bounded whatever the subtree's size.
        ...(yes
          ? {}
          : {
              confirm: (n: number) =>
                n <= CONFIRM_ABOVE ? Promise.resolve(true) : ctx.confirm(`Delete ${n} znodes under ${path}?`),
            }),
      });
    } catch (e) {
      line.stop();
      if (ctx.signal.aborted) throw new Interrupted(`interrupted while listing ${path}: nothing was deleted`);
      if (isSessionError(e)) ctx.note(`deleteall stopped while listing ${path}: nothing was deleted`);
      throw e;
    }
    line.stop();
    // Refused before anything changed (a read-only data dir): the refusal is the whole story.
    if (res.fatal instanceof CommandFailed && res.deleted === 0) throw res.fatal;
    if (res.fatal) {
      const maybe = res.unknown > 0 ? ` (${res.unknown} more were in requests whose outcome is unknown)` : '';
      // Deleting while listing, the size of the subtree is not known when it stops: only what went is.
      ctx.note(`deleteall stopped: ${res.deleted} znodes under ${path} were deleted${maybe}; run it again to finish`);
      throw res.fatal as Error;
    }
    if (res.cancelled) throw new CommandFailed(`deleteall cancelled: nothing under ${path} was deleted`);
    if (res.interrupted) {
      // The session is still there: what remains is the server's count, not an estimate.
      const left = await remaining(ctx.zk, path).catch(() => null);
      throw new Interrupted(
        `interrupted: deleted ${res.deleted} znodes under ${path}; ${left ?? 'the rest'}${left === 1 ? ' remains' : ' remain'}`,
      );
    }
    if (res.failed.length > 0) {
      throw new CommandFailed(
        `Failed to delete some node(s) in the subtree! (${res.failed.length} of ${res.listed} left)`,
        failureLines(res.failed),
      );
    }
    return { type: 'none' };
  },
} as const satisfies CommandSpec;
