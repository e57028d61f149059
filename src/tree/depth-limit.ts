// A depth limit for the pipelined walk without changing it: a lister that answers "no children" for
// nodes at the limit without asking the server, so `tree -d 1` or `find -maxdepth 2` on a 100k tree
// costs only the levels shown.
import type { MultiReadOptions, MultiResult, ReadOp, WatchArg } from '../zk/client.js';
import type { ChildLister } from './walk.js';

/** Depth of `path` below `root` (root itself is 0). */
export function depthBelow(root: string, path: string): number {
  if (path === root) return 0;
  const rest = root === '/' ? path.slice(1) : path.slice(root.length + 1);
  let n = 1;
  for (let i = 0; i < rest.length; i++) if (rest.charCodeAt(i) === 47) n++;
  return n;
}

/** `zk` as a ChildLister that lists only nodes less than `maxDepth` below `root` (Infinity: all). */
export function depthLimited(zk: ChildLister, root: string, maxDepth: number): ChildLister {
  if (!Number.isFinite(maxDepth)) return zk;
  const listed = (p: string): boolean => depthBelow(root, p) < maxDepth;
  const lister: ChildLister = {
    getChildren: (p: string, watch?: WatchArg) => (listed(p) ? zk.getChildren(p, watch) : Promise.resolve([])),
  };
  const multiRead = zk.multiRead?.bind(zk);
  if (multiRead) {
    lister.multiRead = async (ops: readonly ReadOp[], opts?: MultiReadOptions): Promise<MultiResult[]> => {
      const asked = ops.filter((o) => listed(o.path));
      const res = asked.length ? await multiRead(asked, opts) : [];
      let i = 0;
      return ops.map((o) => (listed(o.path) ? res[i++]! : { type: 'getChildren', children: [] }));
    };
  }
  return lister;
}
