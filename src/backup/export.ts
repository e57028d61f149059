// The lines of an export: header, records in walk order, end record. Streams: memory holds the read-ahead
// window, never the tree.
import { hex } from '../output/zkcli.js';
import {
  endLine,
  FORMAT_NAME,
  FORMAT_VERSION,
  headerLine,
  recordLine,
  SNAPSHOT_NOTE,
  relativePath,
  absolutePath,
  type ExportHeader,
  type NodeRecord,
} from './format.js';
import { maskedDigest, MaskedAclError } from './masked-acl.js';
import { isFailure, readTreeBatches, type ReadFailure, type ReadOptions, type TreeReader } from './source.js';

export interface ExportStats {
  nodes: number;
  maxMzxid: bigint;
  /** Nodes that could not be read, in walk order. */
  unreadable: ReadFailure[];
  /** Nodes written with an ACL whose digest the server masked (see masked-acl.ts), and the first of them. */
  masked: number;
  firstMasked: string | null;
}

export interface ExportOptions extends ReadOptions {
  server: string;
  zxid: bigint;
}

/** Characters of record lines joined into one item of exportLines. */
const LINES_CHUNK = 256 * 1024;

export async function* exportLines(
  zk: TreeReader,
  root: string,
  opts: ExportOptions,
  stats: ExportStats,
): AsyncGenerator<string> {
  const header: ExportHeader = {
    format: FORMAT_NAME,
    version: FORMAT_VERSION,
    root,
    server: opts.server,
    zxid: hex(opts.zxid),
    time: new Date().toISOString(),
    acl: opts.acl,
    note: SNAPSHOT_NOTE,
  };
  yield headerLine(header);
  // Several lines per item (joined by newlines), not one per record, but never much more than LINES_CHUNK
  // characters: a batch of 1 MB nodes would otherwise be one string of tens of MB, and every stage
  // downstream (stream buffers, the bytes for write) would hold a copy of it.
  for await (const b of readableRecordBatches(zk, root, opts, stats)) {
    let parts: string[] = [];
    let size = 0;
    for (const r of b) {
      const line = recordLine(r);
      parts.push(line);
      size += line.length;
      if (size >= LINES_CHUNK) {
        yield parts.join('\n');
        parts = [];
        size = 0;
      }
    }
    if (parts.length > 0) yield parts.join('\n');
  }
  yield endLine({ end: true, nodes: stats.nodes, maxMzxid: hex(stats.maxMzxid), unreadable: stats.unreadable.length });
}

export const newStats = (): ExportStats => ({ nodes: 0, maxMzxid: 0n, unreadable: [], masked: 0, firstMasked: null });

/** How readable records treat a node whose ACL came back with a masked digest. */
export type MaskedAcl = 'keep' | 'refuse';

/**
 * The readable records of a subtree; unreadable nodes are counted in `stats` and left out with what is below
 * them. Without the root there is nothing to read: its error is thrown at once. A node whose digest ACL the
 * server masked is counted and kept, or (`refuse`) left out as unreadable.
 */
export async function* readableRecords(
  zk: TreeReader,
  root: string,
  opts: ReadOptions,
  stats: ExportStats,
  masked: MaskedAcl = 'keep',
): AsyncGenerator<NodeRecord> {
  for await (const b of readableRecordBatches(zk, root, opts, stats, masked)) yield* b;
}

/** readableRecords in batches (possibly empty). */
export async function* readableRecordBatches(
  zk: TreeReader,
  root: string,
  opts: ReadOptions,
  stats: ExportStats,
  masked: MaskedAcl = 'keep',
): AsyncGenerator<NodeRecord[]> {
  // Walk order keeps a subtree together: what follows an unreadable node inside it is left out with it.
  let skip: string | null = null;
  for await (const batch of readTreeBatches(zk, root, opts)) {
    const out: NodeRecord[] = [];
    for (let r of batch) {
      const rel = isFailure(r) ? relativePath(root, r.path) : r.path;
      if (skip !== null && (rel === skip || rel.startsWith(`${skip}/`))) continue;
      if (!isFailure(r) && r.acl && maskedDigest(r.acl) !== undefined) {
        const path = absolutePath(root, r.path);
        if (masked === 'refuse') r = { path, error: new MaskedAclError(path) };
        else if (stats.masked++ === 0) stats.firstMasked = path;
      }
      if (isFailure(r)) {
        if (r.path === root) throw r.error;
        stats.unreadable.push(r);
        skip = rel;
        continue;
      }
      stats.nodes++;
      if (r.stat && r.stat.mzxid > stats.maxMzxid) stats.maxMzxid = r.stat.mzxid;
      out.push(r);
    }
    yield out;
  }
}
