// A tree with everything a backup must carry: binary, empty and null data, unicode and space names,
// digest/ip/world ACLs, a container, a TTL node, sequential names, a 50-deep chain and 5,000 children.
import type { ZooKeeperClient } from '../../src/zk/client.js';
import type { ACL } from '../../src/zk/jute/records.js';
import { CreateMode, Perms } from '../../src/zk/protocol.js';
import { ZooKeeperClient as Client } from '../../src/zk/client.js';
import { createNodes, type NodeSpec } from './bulk-create.js';

export const ALICE = 'alice:alice-secret';
export const digestAcl = (): ACL[] => [{ perms: Perms.ALL, id: { scheme: 'digest', id: Client.digest(ALICE) } }];
export const IP_ACL: ACL[] = [
  { perms: Perms.ALL, id: { scheme: 'ip', id: '127.0.0.1' } },
  { perms: Perms.READ, id: { scheme: 'world', id: 'anyone' } },
];
export const READ_ONLY: ACL[] = [{ perms: Perms.READ, id: { scheme: 'world', id: 'anyone' } }];

export const WIDE = 5000;
export const DEEP = 50;

/** Builds the tree under `root` (which must not exist); returns how many nodes it holds, the root included. */
export async function buildBackupTree(zk: ZooKeeperClient, root: string): Promise<number> {
  const nodes: NodeSpec[] = [
    { path: root, data: Buffer.from('root') },
    { path: `${root}/binary`, data: Buffer.from([0, 1, 2, 0xff, 0xfe, 0x80, 0x0a]) },
    { path: `${root}/empty`, data: Buffer.alloc(0) },
    { path: `${root}/null`, data: null },
    { path: `${root}/名前 ü`, data: Buffer.from('unicode ✓') },
    { path: `${root}/with space`, data: Buffer.from('a b\nc') },
    { path: `${root}/wide` },
    { path: `${root}/seq` },
  ];
  for (let i = 0; i < WIDE; i++)
    nodes.push({ path: `${root}/wide/n${String(i).padStart(5, '0')}`, data: Buffer.from(`v${i}`) });
  let deep = `${root}/deep`;
  for (let i = 0; i < DEEP; i++) {
    nodes.push({ path: deep, data: Buffer.from(String(i)) });
    deep += `/d${i}`;
  }
  await createNodes(zk, nodes);
  for (let i = 0; i < 3; i++)
    await zk.create(`${root}/seq/job-`, Buffer.from(`job ${i}`), { mode: CreateMode.PERSISTENT_SEQUENTIAL });
  await zk.create(`${root}/container`, Buffer.from('c'), { mode: CreateMode.CONTAINER });
  await zk.create(`${root}/container/child`, null);
  await zk.create(`${root}/ttl`, Buffer.from('t'), { mode: CreateMode.PERSISTENT_WITH_TTL, ttl: 3_600_000 });
  await zk.create(`${root}/alice`, Buffer.from('digest'), { acl: digestAcl() });
  await zk.create(`${root}/alice/inner`, Buffer.from('inner'), { acl: digestAcl() });
  await zk.create(`${root}/ip`, Buffer.from('ip'), { acl: IP_ACL });
  await zk.create(`${root}/readonly`, Buffer.from('r'), { acl: READ_ONLY });
  return nodes.length + 3 + 2 + 1 + 2 + 1 + 1;
}
