// --exclude patterns (picomatch): `*` and `?` stay within a name, `**` crosses '/'. A pattern without '/'
// matches a node's name anywhere in the tree; one with '/' matches the absolute path.
import picomatch from 'picomatch';

/** A predicate over absolute paths: true when any pattern matches. */
export function globMatcher(globs: readonly string[]): (path: string) => boolean {
  const compile = (gs: string[]): ((s: string) => boolean) | null =>
    gs.length === 0 ? null : picomatch(gs, { dot: true });
  const byName = compile(globs.filter((g) => !g.includes('/')));
  const byPath = compile(globs.filter((g) => g.includes('/')));
  if (!byName && !byPath) return () => false;
  return (path) => !!byName?.(path.slice(path.lastIndexOf('/') + 1)) || !!byPath?.(path);
}
