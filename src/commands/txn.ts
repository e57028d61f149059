import fs from 'node:fs';
import { multiSafeAcl } from '../zk/acl.js';
import type { TxnOutcome } from '../live/results.js';
import { parseTxn, parseTxnLine, type TxnOp } from '../live/txn-ops.js';
import { TXN_JSON, txnRows } from '../output/live-results.js';
import type { MultiResult } from '../zk/client.js';
import { Code, errorFor, ZkError } from '../zk/errors.js';
import { noMore, opt } from './common.js';
import { CommandFailed, UsageError, type CommandContext, type CommandSpec } from './spec.js';

export default {
  name: 'txn',
  summary: 'commit create / set / delete / check lines as one atomic transaction',
  usage: '[-f file]',
  options: { file: opt('f', 'read the lines from this file (needed outside the interactive shell)', 'file') },
  args: [],
  needsConnection: true,
  help:
    'Builds a multi from lines: create (with its options: -e, -s, -c, -t ttl, -b, data, acl), ' +
    'set [-v version] path data, delete [-v version] path, and check path version (the node must be at ' +
    'that version). Blank lines and lines starting with # are skipped. In the interactive shell, txn ' +
    'without -f asks for one line at a time (a bad line is refused and asked again) until an empty line or ' +
    '"commit"; "abort" or Ctrl-C leaves without sending anything. The transaction is shown, confirmed in ' +
    'the interactive shell (-y skips), and sent as one multi: every operation is applied or none. ' +
    'The result lists each line with what it did (created path, new version). When the server rejects it, ' +
    'every line is listed with its outcome (the failing one with the error, those before it "rolled back", ' +
    'those after "not run"), nothing is applied, and the exit code is 1. A bad line is a usage error naming ' +
    'its line number (exit 2) and nothing is sent. A create whose ACL id has a character beyond U+FFFF is ' +
    'refused (exit 1, nothing sent): inside a multi the server stores it as U+FFFD.',
  examples: ['txn -f deploy.txn', 'txn'],
  json: TXN_JSON,
  table: 'line, operation and result of each line',
  async run(ctx, p) {
    noMore(p, 0);
    const file = p.options['file'];
    const ops = typeof file === 'string' ? await fromFile(file, ctx.shell.cwd) : await fromPrompt(ctx);
    if (ops === null) throw new CommandFailed('txn aborted: nothing was sent');
    if (ops.length === 0) throw new UsageError('the transaction has no operations');
    // Inside a multi the server stores such an ACL id as U+FFFD (see multiSafeAcl): refused, not corrupted.
    const unsafe = ops.find((o) => o.op.type === 'create' && !multiSafeAcl(o.op.acl));
    if (unsafe)
      throw new CommandFailed(
        `txn: line ${unsafe.line}: the ACL has a character beyond U+FFFF, which ZooKeeper stores as U+FFFD inside a transaction; create ${unsafe.op.path} outside it; nothing was sent`,
      );
    if (ctx.interactive && !ctx.assumeYes) {
      ctx.out(
        `${['transaction:', ...txnRows(ops.map((o) => ({ line: o.line, text: o.text, outcome: '' })))].join('\n')}\n`,
      );
      if (!(await ctx.confirm(`Commit these ${ops.length} operations?`)))
        throw new CommandFailed('txn not committed: nothing was sent');
    }
    let results: MultiResult[];
    try {
      results = await ctx.zk.multi(ops.map((o) => o.op));
    } catch (e) {
      if (e instanceof ZkError && e.results) throw rejected(ops, e);
      throw e;
    }
    return { type: 'txn', ops: ops.map((o, i) => outcome(o, results[i])) };
  },
} as const satisfies CommandSpec;

async function fromFile(file: string, cwd: string): Promise<TxnOp[]> {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  return parseTxn(text.split(/\r?\n/), cwd);
}

/** Asks for lines until an empty line or "commit"; null when the user aborts. */
async function fromPrompt(ctx: CommandContext): Promise<TxnOp[] | null> {
  if (!ctx.interactive) throw new UsageError('txn reads its lines from -f FILE outside the interactive shell');
  ctx.note('Enter create, set, delete and check lines; an empty line or "commit" ends, "abort" leaves.');
  const ops: TxnOp[] = [];
  for (let n = 1; ; n++) {
    const line = (await ctx.ask(`txn ${n}:`)).trim();
    if (line === '' || line === 'commit') return ops;
    if (line === 'abort') return null;
    try {
      const op = await parseTxnLine(line, n, ctx.shell.cwd);
      if (op) ops.push(op);
      else n--;
    } catch (e) {
      if (!(e instanceof UsageError)) throw e;
      ctx.note(`${e.message} (not added)`);
      n--;
    }
  }
}

function outcome(o: TxnOp, r: MultiResult | undefined): TxnOutcome {
  const base = { line: o.line, text: o.text, type: o.op.type, path: o.op.path };
  if (r?.type === 'create') return { ...base, created: r.path };
  if (r?.type === 'setData') return { ...base, version: r.stat.version };
  return base;
}

/** The server's verdict on each line of a rejected transaction. */
function rejected(ops: readonly TxnOp[], e: ZkError): CommandFailed {
  const codes = e.results ?? [];
  const failed = codes.findIndex((r) => r.err !== 0 && r.err !== Code.RUNTIMEINCONSISTENCY);
  const rows = ops.map((o, i) => {
    const err = codes[i]?.err ?? Code.RUNTIMEINCONSISTENCY;
    const outcome =
      i === failed
        ? `failed: ${errorFor(err, o.op.path).cliMessage}`
        : err === 0
          ? 'ok, rolled back'
          : err === Code.RUNTIMEINCONSISTENCY
            ? 'not run'
            : `failed: ${errorFor(err, o.op.path).cliMessage}`;
    return { line: o.line, text: o.text, outcome };
  });
  const which = failed >= 0 ? `line ${ops[failed]!.line} failed` : e.cliMessage;
  return new CommandFailed(`transaction rejected (${which}); nothing was applied`, txnRows(rows));
}
