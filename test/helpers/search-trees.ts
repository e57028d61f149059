// The trees the search tests walk: production shapes plus hand-made corners (node kinds, binary data, a
// node only its owner may read). Returns what was built, with every node's data, for checking output.
import assert from 'node:assert/strict';
import { findCommand } from '../../src/commands/index.js';
import { shapeErrors } from '../../src/output/json-shape.js';
import { ZooKeeperClient } from '../../src/zk/client.js';
import { CreateMode } from '../../src/zk/protocol.js';
import { curatorDiscovery, kafkaLayout, lockLayout, wideNode } from './shapes.js';

export interface SearchTrees {
  kafka: string[];
  disco: string[];
  locks: string[];
  data: Map<string, Buffer>;
}

export async function buildSearchTrees(zk: ZooKeeperClient): Promise<SearchTrees> {
  const kafka = await kafkaLayout(zk, '/kafka', { topics: 30, partitions: 6 });
  const disco = await curatorDiscovery(zk, '/disco', { services: 10, instances: 50 });
  const locks = await lockLayout(zk, '/locks', { resources: 5, contenders: 40 });
  await wideNode(zk, '/wide', { children: 3000, nameLength: 40 });
  const all = [...kafka, ...disco, ...locks];
  const got = await Promise.all(all.map((p) => zk.getData(p)));
  const data = new Map<string, Buffer>();
  all.forEach((p, i) => data.set(p, got[i]!.data ?? Buffer.alloc(0)));
  // A subtree with one node nobody but its owner may read. It has a child, which a walk cannot see: a leaf it may
  // not read is no error when the server's count shows it to be one (see WIDE_SHARE in src/tree/walk.ts).
  await zk.create('/prot', null);
  await zk.create('/prot/open', Buffer.from('port 9092'));
  await zk.create('/prot/secret', Buffer.from('port 9092 secret'));
  await zk.create('/prot/secret/inner', null);
  await zk.setACL('/prot/secret', [{ perms: 31, id: { scheme: 'digest', id: ZooKeeperClient.digest('owner:pw') } }]);
  await zk.create('/prot/z', null);
  // Node kinds; the ephemeral lives as long as `zk`.
  await zk.create('/kinds', null);
  await zk.create('/kinds/eph', null, { mode: CreateMode.EPHEMERAL });
  await zk.create('/kinds/box', null, { mode: CreateMode.CONTAINER });
  await zk.create('/kinds/box/item', Buffer.from('x'));
  await zk.create('/kinds/ttl', null, { mode: CreateMode.PERSISTENT_WITH_TTL, ttl: 3600000 });
  await zk.create('/kinds/seq-', null, { mode: CreateMode.PERSISTENT_SEQUENTIAL });
  await zk.create('/kinds/plain', Buffer.from('v'));
  await zk.create('/bin', Buffer.from([0x00, 0x6b, 0x65, 0x79, 0x3d, 0xff, 0x0a, 0x6e, 0x6f]));
  return { kafka, disco, locks, data };
}

export const lines = (out: string): string[] => out.split('\n').slice(0, -1);

/** Every line of a streamed --format json run parsed, each checked against the command's documented shape. */
export function jsonLines(command: string, out: string): Record<string, unknown>[] {
  const spec = findCommand(command)!;
  return lines(out).map((l) => {
    const o = JSON.parse(l) as Record<string, unknown>;
    assert.deepEqual(shapeErrors(spec.json, o), [], l);
    return o;
  });
}
