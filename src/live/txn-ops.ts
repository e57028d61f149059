import create from '../commands/create.js';
import del from '../commands/delete.js';
import set from '../commands/set.js';
import { intOption, UsageError, type CommandSpec } from '../commands/spec.js';
import { resolveArgs, resolvePath } from '../shell/resolve-paths.js';
import { tokenize } from '../shell/tokenize.js';
import type { MultiOp } from '../zk/client.js';
import { validatePath } from '../zk/path.js';
import { isSequential } from '../zk/protocol.js';

/** One line of a transaction: the text as given and the multi sub-op it stands for. */
export interface TxnOp {
  readonly line: number;
  readonly text: string;
  readonly op: MultiOp;
}

const WRITES: Readonly<Record<string, CommandSpec>> = { create, set, delete: del };

/**
 * Parses one transaction line: `create …`, `set [-v version] path data`, `delete [-v version] path` with
 * their commands' own options, or `check path version`. Null for a blank or `#` comment line.
 * Relative paths are taken from `cwd` (after `cd`), as the commands take them. Usage errors, and paths the
 * client would refuse only when sending, name the line number.
 */
export async function parseTxnLine(text: string, line: number, cwd = '/'): Promise<TxnOp | null> {
  const at = (m: string): UsageError => new UsageError(`line ${line}: ${m}`);
  let words: string[];
  try {
    words = tokenize(text);
  } catch (e) {
    throw at((e as Error).message);
  }
  const [name, ...rest] = words;
  if (name === undefined || name.startsWith('#')) return null;
  if (name === 'check') {
    if (rest.length !== 2) throw at('usage: check path version');
    try {
      return checked(line, text, {
        type: 'check',
        path: resolvePath(cwd, rest[0]!),
        version: intOption(rest[1], 'version', -1),
      });
    } catch (e) {
      throw at((e as Error).message);
    }
  }
  const spec = WRITES[name];
  if (!spec?.toMultiOp)
    throw at(`${name}: a transaction holds only create, set, delete and check lines (or "# comments")`);
  // The executor's parser, loaded here so the command registry does not import itself.
  const { parseWith } = await import('../shell/parse.js');
  try {
    const m = spec.toMultiOp(resolveArgs(spec, parseWith(spec, name, rest), cwd));
    if (!m) throw new UsageError(`usage: ${name} ${spec.usage}`);
    return checked(line, text, m.op);
  } catch (e) {
    if (e instanceof UsageError) throw at(e.message);
    throw e;
  }
}

/** The op once its path passes the client's checks: a bad path is a usage error (the caller adds the line). */
function checked(line: number, text: string, op: MultiOp): TxnOp {
  try {
    validatePath(op.path, op.type === 'create' && isSequential(op.mode ?? 0));
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  return { line, text: text.trim(), op };
}

/** Parses every line, in order; the first bad line stops it. */
export async function parseTxn(lines: readonly string[], cwd = '/', firstLine = 1): Promise<TxnOp[]> {
  const ops: TxnOp[] = [];
  for (const [i, l] of lines.entries()) {
    const op = await parseTxnLine(l, firstLine + i, cwd);
    if (op) ops.push(op);
  }
  return ops;
}
