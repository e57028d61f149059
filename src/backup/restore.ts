// import and cp: plan (one pass, nothing written), refuse on conflicts unless told, then write (second pass).
import type { CommandContext, CommandResult, ZkAdapter } from '../commands/spec.js';
import { CommandFailed } from '../commands/spec.js';
import { isSessionError, ZkError } from '../zk/errors.js';
import { applyImport, ApplyFailed, createParents, SourceFailed, type Applied } from './apply.js';
import { FormatError, type NodeRecord } from './format.js';
import { planImport, scanDest, type ImportOptions, type Plan } from './plan.js';

export const NOT_PRESERVED =
  'not preserved: ctime/mtime, zxids, versions, cversion and sequence counters, ephemeral owners';

type Writer = Pick<ZkAdapter, 'getChildren' | 'getData' | 'getACL' | 'multi' | 'setACL' | 'create' | 'exists'>;

export interface RestoreRun {
  ctx: CommandContext;
  zk: Writer;
  /** A fresh pass over the records each time it is called (the plan reads them once, the writes again). */
  records: () => AsyncIterable<NodeRecord> | Promise<AsyncIterable<NodeRecord>>;
  opts: ImportOptions;
  dryRun: boolean;
  action: string;
  /** The command line that resumes it (see resumeLine). */
  resume: string;
  /** Read every record before writing even when nothing exists at the destination (a file is checked first). */
  validate: boolean;
}

const conflictLines = (plan: Plan): string[] => [
  ...plan.examples.map((c) => `  ${c.path}: ${c.fields.join(',')}`),
  ...(plan.conflicts > plan.examples.length ? [`  … and ${plan.conflicts - plan.examples.length} more`] : []),
];

/** What stopped the writes, in one line. A file that fails its check now was fine on the check pass. */
function failureLine(cause: unknown): string {
  if (cause instanceof FormatError)
    return `the file changed after it was checked: ${cause.file}: line ${cause.line}: ${cause.reason}`;
  if (cause instanceof ZkError) return `first failure: ${cause.cliMessage}`;
  return `the source failed: ${cause instanceof Error ? cause.message : String(cause)}`;
}

export async function restore(r: RestoreRun): Promise<CommandResult> {
  const { ctx, zk, opts } = r;
  const existing = await scanDest(zk, opts.destRoot, ctx.signal);
  // With nothing at the destination there is nothing to compare: a live source is then read only once.
  const planned = existing.size > 0 || r.validate || r.dryRun;
  const plan = planned ? await planImport(zk, await r.records(), existing, opts) : null;
  ctx.note(`${r.action}: ${NOT_PRESERVED}`);
  if (r.dryRun && plan) {
    const update = opts.mode === 'overwrite' ? plan.conflicts : 0;
    return {
      type: 'transfer',
      action: 'dryRun',
      summary: [
        `dry run: ${plan.create} to create, ${update} to update, ${plan.unchanged} unchanged, ${plan.conflicts - update} conflicts to skip${opts.mode === 'refuse' && plan.conflicts ? ' (refused without --overwrite or --skip-existing)' : ''}, ${plan.ephemeral} ephemerals skipped`,
        ...(plan.conflicts ? ['existing nodes that differ:', ...conflictLines(plan)] : []),
      ],
      counts: {
        create: plan.create,
        update,
        unchanged: plan.unchanged,
        conflicts: plan.conflicts,
        ephemeralSkipped: plan.ephemeral,
      },
    };
  }
  if (plan?.conflicts && opts.mode === 'refuse')
    throw new CommandFailed(
      `${plan.conflicts} existing node${plan.conflicts === 1 ? '' : 's'} under ${opts.destRoot} differ${plan.conflicts === 1 ? 's' : ''}; nothing was written (--overwrite replaces them, --skip-existing keeps them)`,
      conflictLines(plan),
    );
  let parents = 0;
  if (existing.size === 0) parents = await createParents(zk, opts.destRoot);
  let done: Applied;
  try {
    done = await applyImport(zk, await r.records(), existing, plan?.differing ?? new Set(), opts, ctx.signal);
  } catch (e) {
    if (!(e instanceof ApplyFailed || e instanceof SourceFailed)) throw e;
    // Ctrl-C stopping the source is an interrupt like any other.
    if (e instanceof SourceFailed && ctx.signal.aborted) throw e.error;
    const a = e.applied;
    const head = `${r.action} stopped: ${a.created} nodes created and ${a.updated} updated for certain`;
    const details = [
      ...(e.unknown ? [`${e.unknown} writes were in requests whose outcome is unknown (the connection was lost)`] : []),
      `to resume once the cause is fixed: ${r.resume} (nodes already written are recognised as unchanged)`,
    ];
    const cause = e instanceof ApplyFailed ? e.first : e.error;
    // A lost connection or session keeps its own error (and exit code) as the last line.
    if (isSessionError(cause)) {
      for (const l of [head, ...details]) ctx.note(l);
      throw cause;
    }
    throw new CommandFailed(head, [failureLine(cause), ...details]);
  }
  if (done.sequential)
    ctx.note(`${r.action}: ${done.sequential} sequential-named nodes were recreated under their names as persistent`);
  if (done.ephemeralSkipped)
    ctx.note(`${r.action}: ${done.ephemeralSkipped} ephemeral nodes skipped (--ephemerals-as-persistent keeps them)`);
  return {
    type: 'transfer',
    action: r.action,
    summary: [
      `${r.action}: ${done.created} created, ${done.updated} updated, ${done.unchanged} unchanged, ${done.kept} kept (differing, --skip-existing), ${done.ephemeralSkipped} ephemerals skipped${parents ? `; ${parents} missing parents of ${opts.destRoot} created` : ''}`,
    ],
    counts: {
      created: done.created,
      updated: done.updated,
      unchanged: done.unchanged,
      kept: done.kept,
      ephemeralSkipped: done.ephemeralSkipped,
      parentsCreated: parents,
    },
  };
}
