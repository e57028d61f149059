import { exportLines, newStats, type ExportStats } from '../backup/export.js';
import { chunkLines, writeLinesToFile } from '../backup/file-io.js';
import { anyOf, obj } from '../output/json-shape.js';
import { hex } from '../output/zkcli.js';
import type { ZooKeeperClient } from '../zk/client.js';
import { arg, longOpt, need, noMore, opt } from './common.js';
import { CommandFailed, type CommandContext, type CommandSpec } from './spec.js';

/** The session's server and last zxid, when the adapter is a live client. */
export function origin(ctx: CommandContext): { server: string; zxid: bigint } {
  const c = ctx.zk as Partial<ZooKeeperClient>;
  const h = c.session?.currentHost;
  return { server: h ? `${h.host}:${h.port}` : ctx.shell.connectString, zxid: c.session?.lastZxid ?? 0n };
}

/** Comma-separated globs from --exclude. */
export const globs = (v: string | boolean | undefined): string[] =>
  typeof v === 'string' ? v.split(',').filter((g) => g.length > 0) : [];

/**
 * Nodes that could not be read, or whose ACL the server masked: reported, and the command fails after writing
 * the rest. Null when the export is whole.
 */
function exportFailure(stats: ExportStats): CommandFailed | null {
  const lines: string[] = [];
  const n = stats.unreadable.length;
  const them = (k: number): string => (k === 1 ? 'it' : 'them');
  // The walk cannot go below a node it cannot read: its subtree is left out with it.
  if (n)
    lines.push(
      `${n} node${n === 1 ? '' : 's'} could not be read: ${n === 1 ? 'it' : 'they'} and the nodes below ${them(n)} are missing from the export (first: ${stats.unreadable[0]!.path})`,
    );
  const m = stats.masked;
  if (m)
    lines.push(
      `${m} node${m === 1 ? ' has' : 's have'} a digest ACL the server masked (no ADMIN permission on ${them(m)}): the export holds user:x for ${them(m)}, which import refuses (first: ${stats.firstMasked}); export as their admin (the digest user) or super, or with --no-acl`,
    );
  return lines.length ? new CommandFailed(lines[0]!, lines.slice(1)) : null;
}

export default {
  name: 'export',
  summary: 'write a subtree to a versioned JSON Lines file (data, ACLs, kinds), streaming',
  usage: '[-o file] [--no-acl] [--exclude glob[,glob]] path',
  options: {
    output: opt('o', 'write to this file ("-": stdout, the default); a .gz name is gzipped', 'file'),
    noAcl: longOpt('no-acl', 'leave ACLs out (import then gives world:anyone:cdrwa)'),
    exclude: longOpt('exclude', 'leave out nodes (and their subtrees) matching a glob: a name, or a path with /', {
      valueName: 'glob',
    }),
  },
  args: [arg('path', 'znode')],
  needsConnection: true,
  help:
    'Streams the subtree in walk order (parents first) with many reads in flight: first a header line ' +
    '{"format":"zk-shell-export","version":1,"root",...}, then one record per node (path relative to the root, ' +
    'data as base64, ACL, kind, stat as information), then an end record with the node count and the highest ' +
    'mzxid seen. It is not a point-in-time snapshot unless the tree is quiet. A live server reports containers ' +
    'and TTL nodes as persistent, so the export records them so. Exporting / leaves out /zookeeper. A node it ' +
    'cannot read is named and left out, and the command exits 1. A node whose digest ACL the server masked ' +
    '(user:x, when you lack ADMIN permission on it) is written as given and named, and the command exits 1: ' +
    'import refuses such an ACL. A file is written under a temporary name and renamed when complete, so a stopped export leaves no partial file. See README "Backup and restore".',
  examples: ['export /app -o app.jsonl', 'export /app -o app.jsonl.gz --exclude "*.lock"', 'export / > all.jsonl'],
  json: anyOf(
    obj({
      export: obj({ nodes: 'integer', root: 'string', file: 'string', maxMzxid: 'string', unreadable: 'integer' }),
    }),
    'any',
  ),
  table: 'the counts as key/value rows (to a file); to stdout the export itself in every format',
  async run(ctx, p) {
    const root = need(p, 0, 'path');
    noMore(p, 1);
    const file = typeof p.options['output'] === 'string' ? p.options['output'] : '-';
    // Fail on a missing or unreadable start node before anything is written.
    await ctx.zk.getData(root);
    const stats = newStats();
    const lines = exportLines(
      ctx.zk,
      root,
      {
        acl: !p.options['noAcl'],
        exclude: globs(p.options['exclude']),
        signal: ctx.signal,
        ...origin(ctx),
      },
      stats,
    );
    if (file === '-') {
      return {
        type: 'stream',
        chunks: (async function* () {
          yield* chunkLines(lines);
          ctx.note(`exported ${stats.nodes} nodes from ${root} (highest mzxid ${hex(stats.maxMzxid)})`);
          for (const u of stats.unreadable.slice(0, 10)) ctx.note(u.error.cliMessage);
          const failed = exportFailure(stats);
          if (failed) throw failed;
        })(),
      };
    }
    await writeLinesToFile(file, lines);
    for (const u of stats.unreadable.slice(0, 10)) ctx.note(u.error.cliMessage);
    const failed = exportFailure(stats);
    if (failed) throw failed;
    return {
      type: 'transfer',
      action: 'export',
      summary: [`exported ${stats.nodes} nodes from ${root} to ${file} (highest mzxid ${hex(stats.maxMzxid)})`],
      counts: { nodes: stats.nodes, root, file, maxMzxid: hex(stats.maxMzxid), unreadable: stats.unreadable.length },
    };
  },
} as const satisfies CommandSpec;
