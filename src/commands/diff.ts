import { Sessions, parseEndpoint, type Endpoint } from '../backup/endpoints.js';
import { newStats, readableRecords } from '../backup/export.js';
import { openExport } from '../backup/file-io.js';
import { FormatError, type NodeRecord } from '../backup/format.js';
import { dataDiffLines, diffTrees } from '../backup/tree-diff.js';
import { anyOf, arrayOf, obj } from '../output/json-shape.js';
import { jsonText } from '../output/json.js';
import { Code, ZkError } from '../zk/errors.js';
import { REMOTE_OPTIONS, remoteOptions } from './cp.js';
import { arg, longOpt, need, noMore, opt } from './common.js';
import { CommandFailed, UsageError, type CommandSpec } from './spec.js';

/** Trouble (diff(1)'s exit 2) without the usage line: a missing side, a bad file. */
const trouble = (msg: string): UsageError => {
  const e = new UsageError(msg);
  e.usage = '';
  return e;
};

async function* asClientSees(records: AsyncIterable<NodeRecord>): AsyncGenerator<NodeRecord> {
  for await (const r of records) {
    if (r.kind === 'container' || r.kind === 'ttl') {
      const { ttl: _ttl, ...rest } = r;
      yield { ...rest, kind: 'persistent' };
    } else yield r;
  }
}

export default {
  name: 'diff',
  summary: 'compare two subtrees (paths, zk:// URLs or export files): exit 0 same, 1 different',
  usage: '[--data-only] [--no-acl] [-q] [--auth-env var|--auth-file file] [--remote-config file] a b',
  options: {
    dataOnly: longOpt('data-only', 'compare data only (not ACLs or kinds)'),
    noAcl: longOpt('no-acl', 'do not compare ACLs'),
    quiet: opt('q', 'list the differing nodes only, without data diffs'),
    ...REMOTE_OPTIONS,
  },
  args: [arg('a', 'endpoint'), arg('b', 'endpoint')],
  needsConnection: false,
  help:
    'A and B are each a path of this session (relative to the current node), zk://host:port[,...]/path ' +
    '(another cluster; credentials as for cp) ' +
    "an export file (a .jsonl or .jsonl.gz name, or file:NAME), or a server's data dir as it was at a zxid, " +
    "data:DIR[@ZXID][:/PATH] (offline forensics; without :/PATH, the other side's path). " +
    'Paths are shown relative to the two roots: ' +
    '"+ /x" only in B, "- /x" only in A, "~ /x: data,acl,kind" in both but different, followed for text data ' +
    'by a unified diff indented by four spaces. Both sides stream in walk order, so memory stays flat. Exit 0 ' +
    'when identical, 1 when they differ (a count on stderr), 2 on usage errors or a missing side, as diff(1). ' +
    '--format json prints one object per difference, then {"summary":{...}}. A digest ACL the server masked ' +
    '(user:x, read without ADMIN permission) is compared by user and perms only, and stderr says how many were.',
  examples: [
    'diff /app zk://10.0.0.2:2181/app',
    'diff data:/var/lib/zookeeper@0x1a2b /app',
    'diff app.jsonl /app',
    'diff -q --data-only before.jsonl after.jsonl',
  ],
  json: anyOf(
    obj({ change: 'string', path: 'string', 'fields?': arrayOf('string') }),
    obj({ summary: obj({ added: 'integer', removed: 'integer', changed: 'integer' }) }),
  ),
  table: 'none (it streams): a usage error, exit 2',
  async run(ctx, p) {
    const aText = need(p, 0, 'a');
    const bText = need(p, 1, 'b');
    noMore(p, 2);
    if (ctx.shell.format === 'table') throw trouble('diff has no table form (it streams); use --format zkcli or json');
    const acl = !p.options['noAcl'] && !p.options['dataOnly'];
    const sessions = new Sessions(ctx, remoteOptions(p), 'diff');
    const open = async (e: Endpoint, text: string): Promise<AsyncIterable<NodeRecord>> => {
      if (e.kind === 'file') {
        try {
          return (await openExport(e.file)).records;
        } catch (err) {
          if (err instanceof FormatError) throw trouble(err.message.replace(/; nothing was written$/, ''));
          throw err;
        }
      }
      const zk = await sessions.client(e);
      try {
        await zk.getData(e.path);
      } catch (err) {
        if (err instanceof ZkError && err.code === Code.NONODE) throw trouble(`${text}: no such node`);
        throw err;
      }
      return readableRecords(zk, e.path, { acl, signal: ctx.signal }, newStats());
    };
    let a: AsyncIterable<NodeRecord>;
    let b: AsyncIterable<NodeRecord>;
    try {
      const ea = parseEndpoint(aText, true, ctx.shell.cwd);
      const eb = parseEndpoint(bText, true, ctx.shell.cwd);
      // A data dir given without a path is compared at the other side's path (diff data:DIR@Z zk://h/app).
      const pathOf = (e: Endpoint): string | null => (e.kind === 'file' ? null : e.path);
      if (ea.kind === 'data' && !ea.pathGiven) ea.path = pathOf(eb) ?? '/';
      if (eb.kind === 'data' && !eb.pathGiven) eb.path = pathOf(ea) ?? '/';
      a = await open(ea, aText);
      b = await open(eb, bText);
      // A live server shows containers and TTL nodes as persistent: against it, the other side's are
      // compared as a client sees them (else every container would differ from itself).
      const live = (e: Endpoint): boolean => e.kind === 'local' || e.kind === 'remote';
      if (live(ea)) b = asClientSees(b);
      if (live(eb)) a = asClientSees(a);
    } catch (e) {
      await sessions.close();
      throw e;
    }
    const json = ctx.shell.format === 'json';
    const quiet = !!p.options['quiet'];
    const counts = { added: 0, removed: 0, changed: 0 };
    const sides = { A: aText, B: bText };
    const masked = { count: 0 };
    const diffs = diffTrees(a, b, { acl, kind: !p.options['dataOnly'], masked }, (side, path) =>
      trouble(`${sides[side]} is not in walk order at ${path}: cannot compare it`),
    );
    return {
      type: 'stream',
      chunks: (async function* () {
        try {
          for await (const d of diffs) {
            counts[d.change]++;
            if (json) {
              const o = d.change === 'changed' ? { change: d.change, path: d.path, fields: d.fields } : d;
              yield `${jsonText(o)}\n`;
            } else if (d.change === 'changed') {
              const data = !quiet && d.fields.includes('data') ? dataDiffLines(d.a.data, d.b.data) : [];
              yield [`~ ${d.path}: ${d.fields.join(',')}`, ...data].join('\n') + '\n';
            } else yield `${d.change === 'added' ? '+' : '-'} ${d.path}\n`;
          }
        } catch (e) {
          if (e instanceof FormatError) throw trouble(e.message.replace(/; nothing was written$/, ''));
          throw e;
        } finally {
          await sessions.close();
        }
        // Said even when nothing differs: those ACLs were not compared in full.
        if (masked.count)
          ctx.note(
            `diff: ${masked.count} node${masked.count === 1 ? "'s" : "s'"} digest ACLs were masked by the server (no ADMIN permission) and compared by user and perms only`,
          );
        if (json) yield `${jsonText({ summary: counts })}\n`;
        const n = counts.added + counts.removed + counts.changed;
        if (n > 0)
          throw new CommandFailed(
            `${aText} and ${bText} differ: ${counts.added} added, ${counts.removed} removed, ${counts.changed} changed`,
          );
      })(),
    };
  },
} as const satisfies CommandSpec;
