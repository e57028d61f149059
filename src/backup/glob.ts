// --exclude patterns: `*` and `?` stay within a name, `**` crosses '/'. A pattern without '/' matches a
// node's name anywhere in the tree; one with '/' matches the absolute path.
const escape = (c: string): string => c.replace(/[.+^${}()|[\]\\]/g, '\\$&');

function toRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*' && glob[i + 1] === '*') {
      re += '.*';
      i++;
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else re += escape(c);
  }
  return new RegExp(`^${re}$`, 's');
}

/** A predicate over absolute paths: true when any pattern matches. */
export function globMatcher(globs: readonly string[]): (path: string) => boolean {
  const byName = globs.filter((g) => !g.includes('/')).map(toRegExp);
  const byPath = globs.filter((g) => g.includes('/')).map(toRegExp);
  if (byName.length === 0 && byPath.length === 0) return () => false;
  return (path) => {
    const name = path.slice(path.lastIndexOf('/') + 1);
    return byName.some((r) => r.test(name)) || byPath.some((r) => r.test(path));
  };
}
