// What differs between two records of the same relative path: data, ACL (as a set) and kind.
import type { ACL } from '../zk/jute/records.js';
import type { NodeRecord } from './format.js';

export type Field = 'data' | 'acl' | 'kind';

export interface CompareOptions {
  /** Compare ACLs (only when both sides have them). */
  acl: boolean;
  /** Compare the node kind. */
  kind: boolean;
}

const aclKey = (acl: readonly ACL[]): string =>
  acl
    .map((a) => `${a.id.scheme}:${a.id.id}:${a.perms}`)
    .sort()
    .join(',');

/** No data and empty data mean the same to every reader. */
export const sameData = (a: Buffer | null, b: Buffer | null): boolean =>
  (a ?? Buffer.alloc(0)).equals(b ?? Buffer.alloc(0));

export function differences(a: NodeRecord, b: NodeRecord, o: CompareOptions): Field[] {
  const out: Field[] = [];
  if (!sameData(a.data, b.data)) out.push('data');
  if (o.acl && a.acl && b.acl && aclKey(a.acl) !== aclKey(b.acl)) out.push('acl');
  if (o.kind && (a.kind !== b.kind || (a.kind === 'ttl' && a.ttl !== b.ttl))) out.push('kind');
  return out;
}
