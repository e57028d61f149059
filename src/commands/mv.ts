import { obj } from '../output/json-shape.js';
import { moveTree } from '../tree/move-tree.js';
import { arg, need, noMore } from './common.js';
import { UsageError, type CommandSpec } from './spec.js';

export default {
  name: 'mv',
  summary: 'move (rename) a znode and its subtree',
  usage: 'src dst',
  options: {},
  // DST is the new path of SRC: a trailing slash there is refused, not read as "into".
  args: [arg('src', 'znode'), { ...arg('dst', 'znode'), keepTrailingSlash: true }],
  needsConnection: true,
  help:
    'DST is the new path of SRC: it must not exist (to move into /b, name the new path: mv /a /b/a), and ' +
    'its parent must. Data and ACLs are kept; stats (versions, zxids, times) are new. Copies are ' +
    'persistent nodes: ZooKeeper shows container and TTL nodes to clients as persistent ones (ephemeralOwner ' +
    '0), so no client can tell them apart to keep their kind. When the whole move fits one request it is one atomic multi transaction: ' +
    'the copy and the removal happen together or not at all. A bigger subtree is copied in several ' +
    'multis, read back and compared, and only then is the source removed, leaves first, each node with ' +
    'the version that was copied (a node changed meanwhile stops the removal, and the message says what ' +
    'remains). Refused, with the reason and nothing moved: ephemeral nodes (they belong to their ' +
    'session), nodes whose digest ACL the server masked (user:x, without ADMIN permission: the copy would lock ' +
    'its user out), nodes with an ACL id beyond U+FFFF (inside a multi the server stores it as U+FFFD), ' +
    'nodes with a sequence number below SRC (their new parent would not continue the ' +
    'sequence), SRC = /, and DST inside SRC. Prints "Moved SRC to DST (N nodes)" on stderr.',
  examples: ['mv /app/config /app/config.old', 'mv staging ../prod/service'],
  json: obj({ from: 'string', to: 'string', nodes: 'integer' }),
  table: 'key/value: from, to, nodes',
  async run(ctx, p) {
    const src = need(p, 0, 'src');
    const dst = need(p, 1, 'dst');
    noMore(p, 2);
    if (src === '/') throw new UsageError('mv: cannot move /');
    if (dst === src || dst.startsWith(`${src}/`)) throw new UsageError(`mv: cannot move ${src} into itself (${dst})`);
    const nodes = await moveTree(ctx.zk, src, dst, ctx.signal);
    return { type: 'moved', from: src, to: dst, nodes };
  },
} as const satisfies CommandSpec;
