import { openExport } from '../backup/file-io.js';
import { FormatError, type NodeRecord } from '../backup/format.js';
import { maskedDigest } from '../backup/masked-acl.js';
import type { ConflictMode } from '../backup/plan.js';
import { NOT_PRESERVED, restore } from '../backup/restore.js';
import { resumeLine } from '../backup/resume.js';
import { anyOf, obj } from '../output/json-shape.js';
import { arg, longOpt, need, noMore } from './common.js';
import { CommandFailed, UsageError, type CommandSpec, type ParsedArgs } from './spec.js';

export const TRANSFER_COUNTS = obj({
  created: 'integer',
  updated: 'integer',
  unchanged: 'integer',
  kept: 'integer',
  ephemeralSkipped: 'integer',
  parentsCreated: 'integer',
});
export const DRY_RUN = obj({
  dryRun: obj({
    create: 'integer',
    update: 'integer',
    unchanged: 'integer',
    conflicts: 'integer',
    ephemeralSkipped: 'integer',
  }),
});

/** --overwrite / --skip-existing (not both). */
export function conflictMode(p: ParsedArgs): ConflictMode {
  if (p.options['overwrite'] && p.options['skipExisting'])
    throw new UsageError('--overwrite and --skip-existing exclude each other');
  return p.options['overwrite'] ? 'overwrite' : p.options['skipExisting'] ? 'skip' : 'refuse';
}

export default {
  name: 'import',
  summary: 'restore an export file under its root or another path, refusing to overwrite unless told',
  usage: '[--overwrite|--skip-existing] [--dry-run] [--no-acl] [--ephemerals-as-persistent] file [path]',
  options: {
    overwrite: longOpt('overwrite', 'replace the data and ACL of existing nodes that differ'),
    skipExisting: longOpt('skip-existing', 'keep existing nodes that differ (and resume a stopped import)'),
    dryRun: longOpt('dry-run', 'only say what would be created, updated and skipped, and the first conflicts'),
    noAcl: longOpt('no-acl', 'ignore the recorded ACLs: new nodes get world:anyone:cdrwa'),
    ephemerals: longOpt('ephemerals-as-persistent', 'recreate exported ephemeral nodes as persistent (default: skip)'),
  },
  args: [arg('file', 'word'), arg('path', 'znode', true)],
  needsConnection: true,
  help:
    'Restores an export under PATH (default: the root it was exported from), parents before children, in ' +
    'multi batches sized under jute.maxbuffer. The whole file is checked first (header, format version, every ' +
    'record, parents before children, the end record), so a truncated, corrupted, newer or foreign file is ' +
    'refused naming the line, with nothing written; FILE is read twice, so it must be a regular file, not a ' +
    'pipe. Existing nodes that are the same are left alone; ones that ' +
    'differ are refused (nothing written) unless --overwrite or --skip-existing. Sequential-named nodes are ' +
    `recreated under their exported names as persistent; ephemerals are skipped. ${NOT_PRESERVED}. A failure ` +
    'midway names what was written, the first failure and how to resume (--skip-existing). Restoring a node ' +
    'whose ACL denies you create permission stops at its first child: authenticate as its owner or super. A ' +
    'digest ACL the server masked (user:x: the export was taken without ADMIN permission on the node) would lock ' +
    'its user out, so it is refused at its line unless --no-acl.',
  examples: ['import app.jsonl', 'import app.jsonl /restored/app --dry-run', 'import app.jsonl.gz --skip-existing'],
  json: anyOf(obj({ import: TRANSFER_COUNTS }), DRY_RUN),
  table: 'the counts as key/value rows',
  async run(ctx, p) {
    const file = need(p, 0, 'file');
    noMore(p, 2);
    const mode = conflictMode(p);
    // Restoring ACLs, a masked digest (see masked-acl.ts) would lock its user out: the file is refused at its line.
    const refuse = p.options['noAcl']
      ? undefined
      : (r: NodeRecord): string | null => {
          const id = maskedDigest(r.acl);
          return id === undefined
            ? null
            : `the ACL of ${JSON.stringify(r.path)} holds digest:${id}, a digest the server masked when the export was taken without ADMIN permission on the node; re-export as its admin or super, or import --no-acl`;
        };
    let first;
    try {
      first = await openExport(file, refuse);
    } catch (e) {
      if (e instanceof FormatError) throw new CommandFailed(e.message);
      throw e;
    }
    let used = false;
    const destRoot = p.args[1] ?? first.header.root;
    const run = restore({
      ctx,
      zk: ctx.zk,
      // The first pass reads the file opened above; the write pass opens it again.
      records: async () => {
        if (used) return (await openExport(file, refuse)).records;
        used = true;
        return first.records;
      },
      opts: { destRoot, acl: !p.options['noAcl'], ephemerals: !!p.options['ephemerals'], mode },
      dryRun: !!p.options['dryRun'],
      action: 'import',
      resume: resumeLine(
        [
          'import',
          ...(p.options['noAcl'] ? ['--no-acl'] : []),
          ...(p.options['ephemerals'] ? ['--ephemerals-as-persistent'] : []),
          file,
          destRoot,
        ],
        mode,
      ),
      validate: true,
    });
    // A FormatError is the file's fault, named by line: exit 1 with that one line.
    return run.catch((e: unknown) => {
      throw e instanceof FormatError ? new CommandFailed(e.message) : e;
    });
  },
} as const satisfies CommandSpec;
