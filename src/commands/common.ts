import { Code, ZkError } from '../zk/errors.js';
import type { ArgSpec, CommandContext, OptionSpec, ParsedArgs } from './spec.js';
import { CommandFailed, UsageError } from './spec.js';

export const opt = (short: string, description: string, valueName?: string): OptionSpec =>
  valueName ? { short, type: 'string', valueName, description } : { short, type: 'boolean', description };

/**
 * An option with a long name (`--dry-run`), and optionally a short letter too. `singleDash` also accepts
 * `-name`, for find(1)-style options.
 */
export const longOpt = (
  long: string,
  description: string,
  o: { short?: string; valueName?: string; singleDash?: boolean } = {},
): OptionSpec => ({
  long,
  type: o.valueName ? 'string' : 'boolean',
  description,
  ...(o.short ? { short: o.short } : {}),
  ...(o.valueName ? { valueName: o.valueName } : {}),
  ...(o.singleDash ? { singleDash: true } : {}),
});

/** How an option is written, preferred spelling first: ['-s'], ['--dry-run'], ['-d', '--depth'], ['-name']. */
export function optionWords(o: OptionSpec): string[] {
  const words: string[] = [];
  if (o.short) words.push(`-${o.short}`);
  if (o.long) words.push(o.singleDash ? `-${o.long}` : `--${o.long}`);
  return words;
}

/** The option as help shows it: `-v <version>`, `--top <n>`, `-d, --depth <n>`. */
export const optionLabel = (o: OptionSpec, angle = true): string =>
  optionWords(o).join(', ') + (o.valueName ? (angle ? ` <${o.valueName}>` : ` ${o.valueName}`) : '');

export const arg = (name: string, kind: ArgSpec['kind'], optional = false): ArgSpec =>
  optional ? { name, kind, optional } : { name, kind };

/** The n-th positional, or a usage error naming it. */
export function need(p: ParsedArgs, i: number, name: string): string {
  const v = p.args[i];
  if (v === undefined) throw new UsageError(`missing argument: ${name}`);
  return v;
}

/** Extra positionals are an error here (zkCli ignores some silently). */
export function noMore(p: ParsedArgs, count: number): void {
  if (p.args.length > count) throw new UsageError(`unexpected argument: ${p.args[count]}`);
}

/**
 * The 3.4 form `cmd path watch` (still accepted by zkCli with a deprecation line): returns whether
 * the trailing word asked for a watch.
 */
export function legacyWatch(ctx: CommandContext, p: ParsedArgs, cmd: string, modern = '[-w]'): boolean {
  if (p.args.length === 2) {
    ctx.note(`'${cmd} path [watch]' has been deprecated. Please use '${cmd} ${modern} path' instead.`);
    return true;
  }
  noMore(p, 1);
  return false;
}

/** Data argument: text as UTF-8, or base64 with -b (binary-safe input). */
export function dataArg(value: string, base64: boolean): Buffer {
  if (!base64) return Buffer.from(value, 'utf8');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(value) || value.length % 4 !== 0)
    throw new UsageError(`not valid base64: ${value}`);
  return Buffer.from(value, 'base64');
}

/**
 * Runs a conditional write; on a stale version keeps zkCli's line and adds the node's current
 * version below it, so the user can retry (`set -v 3` when the node is at 5).
 */
export async function withVersionHint<T>(
  ctx: CommandContext,
  path: string,
  kind: 'data' | 'acl',
  write: () => Promise<T>,
): Promise<T> {
  try {
    return await write();
  } catch (e) {
    if (!(e instanceof ZkError) || e.code !== Code.BADVERSION) throw e;
    const stat = await ctx.zk.exists(path).catch(() => null);
    if (!stat) throw e;
    throw new CommandFailed(e.cliMessage, [
      `current ${kind} version of ${path}: ${kind === 'acl' ? stat.aversion : stat.version}`,
    ]);
  }
}

/**
 * The nodes a bulk command left, grouped by error: a few examples of each, then a count, so a
 * cause shared by 60,000 children does not bury the one line that explains it.
 */
export function failureLines(failed: readonly { path: string; error: ZkError }[], perError = 10): string[] {
  const groups = new Map<number, { path: string; error: ZkError }[]>();
  for (const f of failed) {
    const g = groups.get(f.error.code);
    if (g) g.push(f);
    else groups.set(f.error.code, [f]);
  }
  const out: string[] = [];
  // Rarer errors first: they are usually the cause (one "Node not empty" behind many NoAuth children).
  for (const g of [...groups.values()].sort((a, b) => a.length - b.length)) {
    for (const f of g.slice(0, perError)) out.push(`  ${f.error.cliMessage}`);
    if (g.length > perError)
      out.push(`  … and ${g.length - perError} more with the same error (${g[0]!.error.codeName})`);
  }
  return out;
}
