import type { ArgSpec, CommandSpec, ParsedArgs } from '../commands/spec.js';

/**
 * Resolves a znode path as typed against the current path (`cd`). Relative paths (`child`,
 * `../sibling/x`, `./tmp`, `..`) are joined to `cwd` and their `.`/`..` components applied; `..` above
 * `/` stays at `/` (as in a file system). Absolute paths are kept as written, so zkCli's messages for
 * `/a/../b` or `//a` stay the same. One trailing `/` is dropped (`ls /app/`, what Tab completion leaves
 * after a node with children) unless `keepTrailingSlash`: for a node being created the slash is part of
 * the request (`create -s /q/` names the child by its sequence number alone).
 * Paths are client paths: with a chroot, `/` is the chroot, and the client adds it.
 */
export function resolvePath(cwd: string, typed: string, keepTrailingSlash = false): string {
  // Empty stays empty: the client then says "Path length must be > 0", as zkCli.
  if (typed === '') return typed;
  if (typed.startsWith('/')) {
    if (keepTrailingSlash || typed.length === 1 || !typed.endsWith('/')) return typed;
    return typed.slice(0, -1);
  }
  const trailing = typed.endsWith('/');
  const parts = cwd === '/' ? [] : cwd.slice(1).split('/');
  const words = typed.split('/');
  if (trailing) words.pop();
  for (const w of words) {
    if (w === '.') continue;
    if (w === '..') parts.pop();
    // An empty name (`a//b`) is kept, so the client reports it as it would for an absolute path.
    else parts.push(w);
  }
  const path = `/${parts.join('/')}`;
  return keepTrailingSlash && trailing && path !== '/' ? `${path}/` : path;
}

/** Whether a positional of this spec is resolved, and how. */
const resolves = (a: ArgSpec | undefined, value: string): boolean =>
  a?.kind === 'znode' && !(a.keep ?? []).includes(value);

/**
 * The parsed command with every positional declared `znode` resolved against `cwd`; other words, and
 * the words an argument keeps as they are (cd's `-`), are untouched. Raw commands take no znode args.
 */
export function resolveArgs(spec: CommandSpec, parsed: ParsedArgs, cwd: string): ParsedArgs {
  if (spec.raw) return parsed;
  let changed = false;
  const args = parsed.args.map((v, i) => {
    const a = spec.args[i];
    if (!resolves(a, v)) return v;
    const r = resolvePath(cwd, v, a?.keepTrailingSlash === true);
    if (r !== v) changed = true;
    return r;
  });
  return changed ? { ...parsed, args } : parsed;
}
