import type { MultiOp } from '../zk/client.js';
import type { ACL } from '../zk/jute/records.js';
import { isTTL, OPEN_ACL_UNSAFE } from '../zk/protocol.js';

/** Most ops per multi. */
export const MAX_BATCH_OPS = 1000;
/**
 * Most request bytes per multi of writes that carry data (scripts, mv, import and cp). Far below jute.maxbuffer
 * (1 MiB) on purpose: a server keeps its last 500 transactions in memory (ZKDatabase's committed log), each
 * about three times over (request, transaction, record). 180 MB of 60 KB values sent in multis of 900 KB left
 * ~500 MB more of its heap in use after they were deleted than the same lines one by one (~30 MB); at 128 KB a
 * batch holds what one write of a 128 KB value would, and 1,000 small creates (~70 KB) still fit in one.
 */
export const MAX_BATCH_BYTES = 128 * 1024;
// Request header (xid, type) and the closing MultiHeader (type, done, err).
export const MULTI_OVERHEAD = 8 + 9;

const str = (s: string): number => 4 + Buffer.byteLength(s);
const aclBytes = (acl: readonly ACL[]): number => acl.reduce((n, a) => n + 4 + str(a.id.scheme) + str(a.id.id), 4);

/** The exact encoded size of an op inside a multi (MultiHeader + its request record). */
export function multiOpBytes(op: MultiOp): number {
  const head = 9;
  switch (op.type) {
    case 'create':
      return (
        head +
        str(op.path) +
        4 +
        (op.data?.length ?? 0) +
        aclBytes(op.acl ?? OPEN_ACL_UNSAFE) +
        4 +
        (isTTL(op.mode ?? 0) ? 8 : 0)
      );
    case 'setData':
      return head + str(op.path) + 4 + (op.data?.length ?? 0) + 4;
    case 'delete':
    case 'check':
      return head + str(op.path) + 4;
  }
}
