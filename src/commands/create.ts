import { obj } from '../output/json-shape.js';
import { parseAcl } from '../zk/acl.js';
import { Code, ZkError } from '../zk/errors.js';
import { CreateMode, isSequential, MAX_TTL } from '../zk/protocol.js';
import { validatePath } from '../zk/path.js';
import { arg, dataArg, need, opt } from './common.js';
import { createParents } from '../tree/create-parents.js';
import type { ACL } from '../zk/jute/records.js';
import type { MultiOp } from '../zk/client.js';
import { UsageError, type CommandSpec, type ParsedArgs } from './spec.js';

export default {
  name: 'create',
  summary: 'create a znode',
  usage: '[-s] [-e] [-c] [-t ttl] [-b] [-p] path [data] [acl]',
  options: {
    sequential: opt('s', 'append a 10-digit sequence number'),
    ephemeral: opt('e', 'delete the node when this session ends'),
    container: opt('c', 'a container node (removed by the server when empty)'),
    ttl: opt('t', 'a TTL node: removed when unchanged and childless for ttl ms', 'ttl'),
    base64: opt('b', 'the data argument is base64'),
    parents: opt('p', 'create missing parents first (empty data, the same ACL), like mkdir -p'),
  },
  // The slash of `create -s /q/` is part of the request (the child is named by its sequence number alone).
  args: [{ ...arg('path', 'znode'), keepTrailingSlash: true }, arg('data', 'data', true), arg('acl', 'acl', true)],
  needsConnection: true,
  help:
    'Prints "Created <path>" on stderr, like zkCli. Without data the node has null data. ' +
    "The ACL is zkCli's scheme:id:perms list; a malformed entry is refused (zkCli drops it silently). " +
    'With -p the missing parents are created first, as persistent nodes with empty data and the same ACL ' +
    '(like mkdir -p); the node itself existing is still "Node already exists".',
  examples: [
    'create /app',
    'create -e -s /app/lock- ""',
    'create -p /app/services/web/config "{}"',
    'create /app/x data digest:u:smGaoVKd/cQkjm7b88GyorAUz20=:cdrwa',
  ],
  json: obj({ created: 'string' }),
  table: 'prints nothing ("Created <path>" is on stderr in every format but json)',
  async run(ctx, p) {
    const { path, data, mode, acl, ttl } = request(p);
    try {
      if (p.options['parents']) {
        // A malformed path is named as typed, not as the first ancestor the walk would ask about.
        validatePath(path, isSequential(mode));
        await createParents(ctx.zk, path, acl);
      }
      const created = await ctx.zk.create(path, data, {
        mode,
        ...(acl ? { acl } : {}),
        ...(ttl !== undefined ? { ttl } : {}),
      });
      return { type: 'created', path: created };
    } catch (e) {
      // zkCli prints the raw KeeperException line before its own for a server-side InvalidACL.
      if (e instanceof ZkError && e.code === Code.INVALIDACL) ctx.note(e.message);
      throw e;
    }
  },
  toMultiOp(p) {
    // The parents are created as separate requests first: such a line runs on its own.
    if (p.options['parents']) return null;
    const { path, data, mode, acl, ttl } = request(p);
    // Set only when given: spreading `{ acl }` or `{}` in was two objects a line in a 10,000-line script.
    const op: Extract<MultiOp, { type: 'create' }> = { type: 'create', path, data, mode };
    if (acl) op.acl = acl;
    if (ttl !== undefined) op.ttl = ttl;
    return {
      op,
      result: (created) => ({ type: 'created', path: created ?? path }),
    };
  },
} as const satisfies CommandSpec;

/** The create request a command line asks for (shared by run and batching). */
function request(p: ParsedArgs): {
  path: string;
  data: Buffer | null;
  mode: number;
  acl: ACL[] | undefined;
  ttl: bigint | undefined;
} {
  const path = need(p, 0, 'path');
  // Words after the ACL are ignored, as zkCli does (a case in ZooKeeper's own test suite relies on it).
  const o = p.options;
  if (o['container'] && (o['sequential'] || o['ephemeral']))
    throw new UsageError('-c cannot be combined with -s or -e. Containers cannot be ephemeral or sequential.');
  let ttl: bigint | undefined;
  if (o['ttl'] !== undefined) {
    if (o['ephemeral']) throw new UsageError('TTLs cannot be used with Ephemeral znodes');
    if (o['container']) throw new UsageError('TTLs cannot be used with Container znodes');
    if (typeof o['ttl'] !== 'string' || !/^[+-]?\d+$/.test(o['ttl']))
      throw new UsageError('-t argument must be a long value');
    ttl = BigInt(o['ttl'].replace(/^\+/, ''));
    if (ttl <= 0n || ttl > MAX_TTL) throw new UsageError(`ttl must be positive and cannot be larger than: ${MAX_TTL}`);
  }
  const mode = o['container']
    ? CreateMode.CONTAINER
    : ttl !== undefined
      ? o['sequential']
        ? CreateMode.PERSISTENT_SEQUENTIAL_WITH_TTL
        : CreateMode.PERSISTENT_WITH_TTL
      : o['ephemeral']
        ? o['sequential']
          ? CreateMode.EPHEMERAL_SEQUENTIAL
          : CreateMode.EPHEMERAL
        : o['sequential']
          ? CreateMode.PERSISTENT_SEQUENTIAL
          : CreateMode.PERSISTENT;
  const data = p.args[1] === undefined ? null : dataArg(p.args[1], !!o['base64']);
  const acl = p.args[2] === undefined ? undefined : parseAcl(p.args[2]);
  return { path, data, mode, acl, ttl };
}
