import { OK } from '../output/json-shape.js';
import { describeLoad, loadWarnings, openDataDir, OpenFailed } from '../offline/open.js';
import { arg, longOpt, need, noMore } from './common.js';
import { CommandFailed, type CommandSpec } from './spec.js';

export default {
  name: 'open',
  summary: "open a server's data dir read-only, as the tree was at a zxid or time (connect goes back)",
  usage: '[--zxid zxid | --at time] dir',
  options: {
    zxid: longOpt('zxid', 'the tree right after this transaction (0x1a2b or decimal)', { valueName: 'zxid' }),
    at: longOpt('at', 'the tree at this time (ISO 8601 or epoch ms)', { valueName: 'time' }),
  },
  args: [arg('dir', 'word')],
  needsConnection: false,
  help:
    'Loads the newest snapshot in DIR/version-2 (or DIR) that is complete by the target, replays the ' +
    'transaction logs up to it, and answers every read command from that tree; writes fail with ' +
    '"read-only: this is a snapshot". getEphemerals lists the ephemerals of every session. The same as ' +
    'starting with zk-shell --data-dir DIR [--zxid Z | --at TIME].',
  examples: ['open /var/lib/zookeeper', 'open --zxid 0x1a2b /var/lib/zookeeper', 'open --at 2024-05-01T12:00Z /data'],
  json: OK,
  table: 'nothing (the summary goes to stderr)',
  async run(ctx, p) {
    const dir = need(p, 0, 'dir');
    noMore(p, 1);
    const zxid = p.options['zxid'];
    const at = p.options['at'];
    if (!ctx.shell.openOffline) throw new CommandFailed('this shell cannot open a data dir');
    let zk;
    try {
      zk = openDataDir(dir, typeof zxid === 'string' ? zxid : undefined, typeof at === 'string' ? at : undefined);
    } catch (e) {
      if (e instanceof OpenFailed) throw new CommandFailed(e.message);
      throw e;
    }
    for (const w of loadWarnings(zk.report)) ctx.note(w);
    ctx.note(describeLoad(zk.report));
    await ctx.shell.openOffline(zk);
    return { type: 'none' };
  },
} as const satisfies CommandSpec;
