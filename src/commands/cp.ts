import { Sessions, parseEndpoint, type RemoteOptions } from '../backup/endpoints.js';
import { newStats, readableRecords } from '../backup/export.js';
import type { NodeRecord } from '../backup/format.js';
import { MaskedAclError, maskedDigest } from '../backup/masked-acl.js';
import { NOT_PRESERVED, restore } from '../backup/restore.js';
import { resumeLine } from '../backup/resume.js';
import { nodeKind, type TreeReader } from '../backup/source.js';
import { anyOf, obj } from '../output/json-shape.js';
import { arg, longOpt, need, noMore, opt } from './common.js';
import { DRY_RUN, TRANSFER_COUNTS, conflictMode } from './import.js';
import { CommandFailed, UsageError, type CommandSpec, type ParsedArgs } from './spec.js';

/** The options naming another cluster's credentials and TLS settings (cp and diff). */
export const REMOTE_OPTIONS = {
  authEnv: longOpt('auth-env', 'environment variable holding scheme:auth (digest:user:password) for zk:// sides', {
    valueName: 'var',
  }),
  authFile: longOpt('auth-file', 'file holding scheme:auth for zk:// sides', { valueName: 'file' }),
  remoteConfig: longOpt('remote-config', "zkCli client properties (TLS) for zk:// sides; default: the shell's own", {
    valueName: 'file',
  }),
} as const;

export const remoteOptions = (p: ParsedArgs): RemoteOptions => ({
  authEnv: typeof p.options['authEnv'] === 'string' ? p.options['authEnv'] : undefined,
  authFile: typeof p.options['authFile'] === 'string' ? p.options['authFile'] : undefined,
  config: typeof p.options['remoteConfig'] === 'string' ? p.options['remoteConfig'] : undefined,
});

/** The remote options as given (names of a variable or file, never a secret), to repeat them. */
const remoteWords = (p: ParsedArgs): string[] =>
  (
    [
      ['authEnv', '--auth-env'],
      ['authFile', '--auth-file'],
      ['remoteConfig', '--remote-config'],
    ] as const
  ).flatMap(([k, flag]) => (typeof p.options[k] === 'string' ? [flag, p.options[k]] : []));

/**
 * One node, no descendants (cp without -R, or the root with -R): it must exist, and a masked ACL (see
 * masked-acl.ts) is refused, before anything is written.
 */
async function oneNode(zk: TreeReader, path: string): Promise<NodeRecord> {
  const [d, a] = await Promise.all([zk.getData(path), zk.getACL(path)]);
  if (maskedDigest(a.acl) !== undefined)
    // cp has no --no-acl: the advice is to read it as someone who sees the digest.
    throw new CommandFailed(
      `${new MaskedAclError(path).cliMessage}; nothing was copied: copy it as its admin (the digest user) or super`,
    );
  return { path: '', data: d.data, acl: a.acl, ...nodeKind(zk, path, d.stat) };
}

export default {
  name: 'cp',
  summary: 'copy a node or subtree, within a cluster or between clusters (zk://host:port/path)',
  usage:
    '[-R] [--overwrite|--skip-existing] [--dry-run] [--auth-env var|--auth-file file] [--remote-config file] src dst',
  options: {
    recursive: opt('R', 'copy the whole subtree (default: the node alone)'),
    overwrite: longOpt('overwrite', 'replace the data and ACL of existing nodes that differ'),
    skipExisting: longOpt('skip-existing', 'keep existing nodes that differ (and resume a stopped copy)'),
    dryRun: longOpt('dry-run', 'only say what would be created, updated and skipped'),
    ...REMOTE_OPTIONS,
  },
  args: [arg('src', 'endpoint'), arg('dst', 'endpoint')],
  needsConnection: false,
  help:
    'Copies SRC to DST (DST becomes the copy of SRC: data, ACLs, children with -R), streaming with no temp ' +
    'file. Either side may be a path of this session (relative to the current node) or ' +
    'zk://host:port[,host:port...]/path on another cluster; SRC may also be a data dir at a zxid, ' +
    "data:DIR[@ZXID]:/PATH, to restore a subtree from a server's snapshot and logs; " +
    "(its own session, with the shell's TLS settings unless --remote-config; credentials from ZK_SHELL_AUTH " +
    'and --auth-env/--auth-file, never the command line). Existing nodes that are the same are left alone; ' +
    'ones that differ are refused, with nothing written, unless --overwrite or --skip-existing. Nodes under ' +
    'DST that SRC lacks are left in place (cp merges; diff lists them). Missing ' +
    `parents of DST are created. ${NOT_PRESERVED}. Ephemerals are skipped.`,
  examples: [
    'cp -R /app /app-copy',
    'cp -R /app zk://10.0.0.2:2181/app --auth-env PROD_AUTH',
    'cp -R zk://old:2181/app /app',
  ],
  json: anyOf(obj({ cp: TRANSFER_COUNTS }), DRY_RUN),
  table: 'the counts as key/value rows',
  async run(ctx, p) {
    const srcText = need(p, 0, 'src');
    const dstText = need(p, 1, 'dst');
    noMore(p, 2);
    const mode = conflictMode(p);
    const src = parseEndpoint(srcText, false, ctx.shell.cwd);
    const dst = parseEndpoint(dstText, false, ctx.shell.cwd);
    if (src.kind === 'file' || dst.kind === 'file') throw new Error('unreachable');
    if (dst.kind === 'data') throw new UsageError(`cannot copy into ${dstText}: a data dir is read-only`);
    const sameCluster =
      src.kind === dst.kind &&
      (src.kind === 'local' || (dst.kind === 'remote' && src.connectString === dst.connectString));
    const inside = (a: string, b: string): boolean => a === b || b.startsWith(a === '/' ? '/' : `${a}/`);
    if (sameCluster && inside(src.path, dst.path))
      throw new UsageError(`cannot copy ${srcText} into itself (${dstText})`);
    const sessions = new Sessions(ctx, remoteOptions(p), 'cp');
    try {
      const from = await sessions.client(src);
      const to = await sessions.client(dst);
      // The root is checked with -R too: left out, it would leave nothing to copy.
      const root = await oneNode(from, src.path);
      const single = p.options['recursive'] ? null : root;
      let stats = newStats();
      const result = await restore({
        ctx,
        zk: to,
        records: () => {
          stats = newStats();
          return single
            ? (async function* () {
                yield single;
              })()
            : readableRecords(from, src.path, { acl: true, signal: ctx.signal }, stats, 'refuse');
        },
        opts: { destRoot: dst.path, acl: true, ephemerals: false, mode },
        dryRun: !!p.options['dryRun'],
        action: 'cp',
        resume: resumeLine(
          ['cp', ...(p.options['recursive'] ? ['-R'] : []), ...remoteWords(p), srcText, dstText],
          mode,
        ),
        validate: false,
      });
      const n = stats.unreadable.length;
      // The walk cannot go below a node it cannot read: its subtree is left out with it.
      if (n)
        throw new CommandFailed(
          `${n} source node${n === 1 ? '' : 's'} could not be read: ${n === 1 ? 'it' : 'they'} and the nodes below ${n === 1 ? 'it' : 'them'} were not copied`,
          stats.unreadable.slice(0, 10).map((u) => `  ${u.error.cliMessage}`),
        );
      return result;
    } finally {
      await sessions.close();
    }
  },
} as const satisfies CommandSpec;
