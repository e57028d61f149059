// What tree, find, grep and du return: lazy streams of rows, rendered by src/output/search.ts as they
// arrive (text and one JSON object per line) or collected into a table.
import type { PathError } from '../commands/spec.js';
import type { Stat } from '../zk/jute/records.js';

export interface TreeRow {
  path: string;
  depth: number;
  /** For each level above the node (1..depth-1): whether that ancestor was its parent's last child. */
  ancestorsLast: readonly boolean[];
  last: boolean;
  stat?: Stat;
  /** Its children (or, with -s, its stat) could not be read. Not named `error`: rows are not PathErrors. */
  failed?: PathError['error'];
}

export interface GrepRow {
  path: string;
  /** -l: no lines; -c: the count; else one matching line (1-based number) per row. */
  count?: number;
  line?: string;
  lineNumber?: number;
  /** The node's data is not UTF-8: the line is matched and shown byte for byte, escaped. */
  binary?: boolean;
}

export interface DuRow {
  path: string;
  depth: number;
  bytes: number;
  nodes: number;
}

export type SearchResult =
  | { type: 'tree'; path: string; rows: AsyncIterable<TreeRow>; stat: boolean; ascii: boolean }
  | { type: 'found'; path: string; rows: AsyncIterable<string | PathError> }
  | { type: 'grep'; path: string; mode: 'lines' | 'files' | 'count'; rows: AsyncIterable<GrepRow | PathError> }
  | { type: 'du'; path: string; rows: AsyncIterable<DuRow | PathError>; human: boolean; top: number | null };

export const SEARCH_TYPES: ReadonlySet<string> = new Set(['tree', 'found', 'grep', 'du']);

export const isPathError = (x: unknown): x is PathError =>
  typeof x === 'object' && x !== null && 'error' in x && typeof x.error === 'object';
