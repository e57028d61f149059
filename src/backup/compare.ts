// What differs between two records of the same relative path: data, ACL (as a set) and kind.
import type { ACL } from '../zk/jute/records.js';
import type { NodeRecord } from './format.js';
import { isMaskedDigest, maskedDigest } from './masked-acl.js';

export type Field = 'data' | 'acl' | 'kind';

export interface CompareOptions {
  /** Compare ACLs (only when both sides have them). */
  acl: boolean;
  /** Compare the node kind. */
  kind: boolean;
  /**
   * diff's choice: where a side's digest was masked by the server (user:x, see masked-acl.ts), compare that
   * entry by user and perms only, and count the nodes compared so. Import never does: it must not take a
   * masked ACL for the one it would write.
   */
  masked?: { count: number };
}

/** A digest id's user part, colon kept ("alice:"): what a masked id still says. */
const digestUser = (id: string): string => id.slice(0, id.lastIndexOf(':') + 1);

/** `loose`: users whose digest is masked on either side; their entries are keyed by user and perms only. */
const aclKey = (acl: readonly ACL[], loose?: ReadonlySet<string>): string =>
  acl
    .map((a) => {
      const user = a.id.scheme === 'digest' ? digestUser(a.id.id) : '';
      const id = loose?.has(user) ? user : a.id.id;
      return `${a.id.scheme}:${id}:${a.perms}`;
    })
    .sort()
    .join(',');

function sameAcl(a: readonly ACL[], b: readonly ACL[], o: CompareOptions): boolean {
  if (!o.masked || (maskedDigest(a) === undefined && maskedDigest(b) === undefined)) return aclKey(a) === aclKey(b);
  o.masked.count++;
  // Only masked users lose their hash: another user's unmasked digest on the node is still compared in full.
  const loose = new Set([...a, ...b].filter(isMaskedDigest).map((x) => digestUser(x.id.id)));
  return aclKey(a, loose) === aclKey(b, loose);
}

/** No data and empty data mean the same to every reader. */
export const sameData = (a: Buffer | null, b: Buffer | null): boolean =>
  (a ?? Buffer.alloc(0)).equals(b ?? Buffer.alloc(0));

export function differences(a: NodeRecord, b: NodeRecord, o: CompareOptions): Field[] {
  const out: Field[] = [];
  if (!sameData(a.data, b.data)) out.push('data');
  if (o.acl && a.acl && b.acl && !sameAcl(a.acl, b.acl, o)) out.push('acl');
  if (o.kind && (a.kind !== b.kind || (a.kind === 'ttl' && a.ttl !== b.ttl))) out.push('kind');
  return out;
}
