// deleteall need not list a node to delete it: deleting a node that has children fails (NOTEMPTY) and changes
// nothing. Where the tree has shown its shape (at this depth, many nodes listed and every one a leaf: the
// thousands of partitions, instances or locks under each parent of a Kafka, Curator or lock layout), the
// rest of that depth is taken for leaves without listing them, which saves the server most of its listing
// work. One wrong guess turns guessing off at its depth; the caller deletes that subtree properly.

/** Leaves listed at a depth (and no node with children) before the rest of that depth is guessed. */
export const GUESS_AFTER = 64;

export function depthOf(path: string): number {
  if (path === '/') return 0;
  let d = 0;
  for (let i = 0; i < path.length; i++) if (path.charCodeAt(i) === 47) d++;
  return d;
}

export class LeafGuesser {
  private readonly listed: number[] = [];
  private readonly parents: number[] = [];

  constructor(private readonly exclude: (path: string) => boolean) {}

  /** A node was listed and has `children` children. */
  saw(path: string, children: number): void {
    const d = depthOf(path);
    this.listed[d] = (this.listed[d] ?? 0) + 1;
    if (children > 0) this.parents[d] = (this.parents[d] ?? 0) + 1;
  }

  /** Take `path` for a leaf without listing it? */
  guess(path: string): boolean {
    const d = depthOf(path);
    return (this.listed[d] ?? 0) >= GUESS_AFTER && !this.parents[d] && !this.exclude(path);
  }

  /** A node taken for a leaf has children: its depth has a parent, so no more guesses there. */
  wrongAt(path: string): void {
    const d = depthOf(path);
    this.parents[d] = (this.parents[d] ?? 0) + 1;
  }
}
