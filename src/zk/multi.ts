import { Code, ZkError } from './errors.js';
import type { JuteReader } from './jute/reader.js';
import type { JuteWriter } from './jute/writer.js';
import * as R from './jute/records.js';
import { decodeRecord } from './jute/schema.js';
import { Op } from './protocol.js';

export type MultiResult =
  | { type: 'create'; path: string; stat?: R.Stat }
  | { type: 'delete' }
  | { type: 'setData'; stat: R.Stat }
  | { type: 'check' }
  | { type: 'getChildren'; children: string[] }
  | { type: 'getData'; data: Buffer | null; stat: R.Stat }
  | { type: 'error'; err: number };

/** An encoded sub-op: its opcode and a writer for its request record. */
export interface EncodedOp {
  readonly code: number;
  readonly write: (w: JuteWriter) => void;
}

/** MultiHeader{op, false, -1} + record per op, then the terminator MultiHeader{-1, true, -1}. */
export function writeMulti(w: JuteWriter, ops: readonly EncodedOp[]): void {
  for (const op of ops) {
    w.multiHeader(op.code);
    op.write(w);
  }
  w.multiEnd();
}

/** getChildren results of a multiRead of listings only: the names (unsorted) or the error code, per path. */
export interface Listings {
  lists: (string[] | number)[];
  /** The reply's size (what a walk bounds its window with). */
  bytes: number;
}

/** Listings with their reply's zxid: the last transaction the server had applied when it listed them. */
export interface ListingsAt extends Listings {
  zxid: bigint;
}

/** Reads a multiRead reply made only of getChildren results, without an object per result (a walk reads millions). */
export function readListings(r: JuteReader): Listings {
  const start = r.offset;
  const lists: (string[] | number)[] = [];
  for (;;) {
    const type = r.int();
    const done = r.boolean();
    r.int();
    if (done) break;
    if (type === Op.getChildren.code) lists.push(r.strings(true));
    else if (type === -1)
      lists.push(r.int()); // ErrorResponse{err}
    else throw new ZkError(Code.MARSHALLINGERROR);
  }
  return { lists, bytes: r.offset - start };
}

/** Reads a MultiResponse; `toClient` strips the chroot from created paths (Java forgets to). */
export function readMulti(r: JuteReader, toClient: (serverPath: string) => string = (p) => p): MultiResult[] {
  const out: MultiResult[] = [];
  for (;;) {
    // MultiHeader{type, done, err} read field by field (one per listed node in a walk). `done` before
    // `type`: error entries and the terminator both have type -1.
    const type = r.int();
    const done = r.boolean();
    r.int();
    if (done) break;
    switch (type) {
      case Op.create.code:
        out.push({ type: 'create', path: toClient(decodeRecord(r, R.CreateResponse).path) });
        break;
      case Op.create2.code: {
        const res = decodeRecord(r, R.Create2Response);
        out.push({ type: 'create', path: toClient(res.path), stat: res.stat });
        break;
      }
      case Op.delete.code:
        out.push({ type: 'delete' });
        break;
      case Op.check.code:
        out.push({ type: 'check' });
        break;
      case Op.setData.code:
        out.push({ type: 'setData', stat: decodeRecord(r, R.SetDataResponse).stat });
        break;
      case Op.getChildren.code:
        // Leaves share one frozen empty listing (a walk reads one per node).
        out.push({ type: 'getChildren', children: r.strings(true) });
        break;
      case Op.getData.code: {
        // GetDataResponse{buffer data; Stat stat}, without the intermediate record.
        const data = r.buffer();
        out.push({ type: 'getData', data, stat: decodeRecord(r, R.Stat) });
        break;
      }
      case -1:
        out.push({ type: 'error', err: decodeRecord(r, R.ErrorResponse).err });
        break;
      default:
        throw new ZkError(Code.MARSHALLINGERROR);
    }
  }
  return out;
}

/**
 * CreateRequest{path, data, acl, flags} written field by field (ACL is {perms, Id{scheme, id}}): imports and
 * script batches write one per node, and the schema loop cost more than the bytes.
 */
export function writeCreate(
  w: JuteWriter,
  path: string,
  data: Buffer | null,
  acl: readonly R.ACL[],
  flags: number,
): void {
  w.ustring(path).buffer(data).int(acl.length);
  for (const a of acl) w.int(a.perms).ustring(a.id.scheme).ustring(a.id.id);
  w.int(flags);
}
