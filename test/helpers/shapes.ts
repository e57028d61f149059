// Production-shaped trees on a live server, built with pipelined multis. Each builder creates `root`
// (which must not exist; missing ancestors are made) and returns every path it created, root included,
// in zkCli's `ls -R` order. Names and data are seeded, so a layout is identical on every run.
import type { ZooKeeperClient } from '../../src/zk/client.js';
import { CreateMode } from '../../src/zk/protocol.js';
import {
  createNodes,
  ensureParents,
  json,
  lsROrder,
  pick,
  prng,
  uuidFrom,
  type BulkOptions,
  type NodeSpec,
} from './bulk-create.js';

const DOMAINS = [
  'orders',
  'payments',
  'inventory',
  'customer',
  'shipping',
  'pricing',
  'search',
  'fraud',
  'ledger',
  'notifications',
];
const ENTITIES = ['events', 'commands', 'snapshots', 'changelog', 'dlq', 'audit', 'cdc', 'metrics'];
const REGIONS = ['eu-west-1', 'us-east-1', 'ap-south-1'];
const SERVICES = ['gateway-api', 'checkout-service', 'catalog-reader', 'session-broker', 'quote-engine', 'risk-scorer'];

async function build(zk: ZooKeeperClient, root: string, nodes: NodeSpec[], bulk?: BulkOptions): Promise<string[]> {
  await ensureParents(zk, root);
  return lsROrder(await createNodes(zk, nodes, bulk));
}

/** Kafka's ZooKeeper layout (pre-KRaft) for `topics` topics of `partitions` partitions under `root`. */
export async function kafkaLayout(
  zk: ZooKeeperClient,
  root: string,
  o: { topics: number; partitions: number; brokers?: number; seed?: number; bulk?: BulkOptions },
): Promise<string[]> {
  const rand = prng(o.seed ?? 14);
  const brokers = o.brokers ?? 6;
  const ts = 1718000000000;
  const n: NodeSpec[] = [{ path: root }];
  const add = (rel: string, data?: unknown): void => {
    n.push({
      path: `${root}${rel}`,
      data: data === undefined ? null : typeof data === 'string' ? Buffer.from(data) : json(data),
    });
  };
  for (const d of [
    '/brokers',
    '/brokers/ids',
    '/brokers/topics',
    '/brokers/seqid',
    '/config',
    '/config/topics',
    '/config/changes',
    '/config/brokers',
    '/config/clients',
    '/config/users',
    '/admin',
    '/admin/delete_topics',
    '/isr_change_notification',
    '/log_dir_event_notification',
    '/consumers',
    '/cluster',
  ])
    add(d);
  add('/cluster/id', { version: '1', id: 'x3vQ9hTqRUmJ1d1N7c0q6A' });
  add('/controller', { version: 2, brokerid: 1, timestamp: String(ts) });
  add('/controller_epoch', '12');
  add('/latest_producer_id_block', { version: 1, broker: 1, block_start: '0', block_end: '999' });
  add('/feature', { features: {}, version: 2, status: 1 });
  for (let b = 1; b <= brokers; b++) {
    const host = `kafka-${b - 1}.kafka-headless.streaming.svc.cluster.local`;
    add(`/brokers/ids/${b}`, {
      listener_security_protocol_map: { PLAINTEXT: 'PLAINTEXT', SSL: 'SSL' },
      endpoints: [`PLAINTEXT://${host}:9092`, `SSL://${host}:9093`],
      jmx_port: 9999,
      features: {},
      host,
      timestamp: String(ts + b * 1000),
      port: 9092,
      version: 5,
      rack: pick(rand, REGIONS),
    });
  }
  for (let t = 0; t < o.topics; t++) {
    const topic = `${pick(rand, DOMAINS)}-${pick(rand, ENTITIES)}-v${1 + Math.floor(rand() * 3)}-${pick(rand, REGIONS)}-${String(t).padStart(4, '0')}`;
    const replicas = (p: number): number[] => [0, 1, 2].map((k) => ((p + k) % brokers) + 1);
    const assignment: Record<string, number[]> = {};
    for (let p = 0; p < o.partitions; p++) assignment[String(p)] = replicas(p);
    add(`/brokers/topics/${topic}`, {
      partitions: assignment,
      topic_id: uuidFrom(rand).slice(0, 22),
      adding_replicas: {},
      removing_replicas: {},
      version: 3,
    });
    add(`/brokers/topics/${topic}/partitions`);
    for (let p = 0; p < o.partitions; p++) {
      add(`/brokers/topics/${topic}/partitions/${p}`);
      const isr = replicas(p);
      add(`/brokers/topics/${topic}/partitions/${p}/state`, {
        controller_epoch: 12,
        leader: isr[0],
        version: 1,
        leader_epoch: Math.floor(rand() * 40),
        isr,
      });
    }
    add(`/config/topics/${topic}`, {
      version: 1,
      config: {
        'retention.ms': '604800000',
        'cleanup.policy': pick(rand, ['delete', 'compact']),
        'min.insync.replicas': '2',
      },
    });
  }
  return build(zk, root, n, o.bulk);
}

/**
 * Curator service discovery: ROOT/services/SERVICE/INSTANCE with `instances` instances per service.
 * Instance names are 45 characters (an 8-character host tag, '-', a UUID), so a listing of 500 is ~25 KB.
 */
export async function curatorDiscovery(
  zk: ZooKeeperClient,
  root: string,
  o: { services: number; instances: number; seed?: number; bulk?: BulkOptions },
): Promise<string[]> {
  const rand = prng(o.seed ?? 60);
  const n: NodeSpec[] = [{ path: root }, { path: `${root}/services` }];
  for (let s = 0; s < o.services; s++) {
    const name = `${pick(rand, DOMAINS)}-${pick(rand, SERVICES)}-${String(s).padStart(3, '0')}`;
    n.push({ path: `${root}/services/${name}` });
    for (let i = 0; i < o.instances; i++) {
      const id = `ip-${Math.floor(rand() * 0xfffff)
        .toString(16)
        .padStart(5, '0')}-${uuidFrom(rand)}`;
      n.push({
        path: `${root}/services/${name}/${id}`,
        data: json({
          name,
          id,
          address: `10.${Math.floor(rand() * 256)}.${Math.floor(rand() * 256)}.${Math.floor(rand() * 256)}`,
          port: 8080,
          sslPort: null,
          payload: null,
          registrationTimeUTC: 1718000000000 + Math.floor(rand() * 1e9),
          serviceType: 'DYNAMIC',
          uriSpec: {
            parts: [
              { value: 'scheme', variable: true },
              { value: '://', variable: false },
              { value: 'address', variable: true },
              { value: ':', variable: false },
              { value: 'port', variable: true },
            ],
          },
          enabled: true,
        }),
      });
    }
  }
  return build(zk, root, n, o.bulk);
}

/**
 * Curator InterProcessMutex contenders: ROOT/locks/RESOURCE/_c_<uuid>-lock-<10-digit sequence>.
 * PERSISTENT_SEQUENTIAL by default so the nodes outlive the session; `ephemeral` ties them to `zk`.
 */
export async function lockLayout(
  zk: ZooKeeperClient,
  root: string,
  o: { resources: number; contenders: number; ephemeral?: boolean; seed?: number; bulk?: BulkOptions },
): Promise<string[]> {
  const rand = prng(o.seed ?? 600);
  const mode = o.ephemeral ? CreateMode.EPHEMERAL_SEQUENTIAL : CreateMode.PERSISTENT_SEQUENTIAL;
  const n: NodeSpec[] = [{ path: root }, { path: `${root}/locks` }];
  for (let r = 0; r < o.resources; r++) {
    const res = `${root}/locks/${pick(rand, DOMAINS)}-partition-${String(r).padStart(4, '0')}`;
    n.push({ path: res });
    for (let c = 0; c < o.contenders; c++) {
      n.push({ path: `${res}/_c_${uuidFrom(rand)}-lock-`, data: Buffer.from(`10.20.${r % 256}.${c % 256}`), mode });
    }
  }
  return build(zk, root, n, o.bulk);
}

/** One node with `children` children, each name exactly `nameLength` characters (at least 8). */
export async function wideNode(
  zk: ZooKeeperClient,
  path: string,
  o: { children: number; nameLength?: number; bulk?: BulkOptions },
): Promise<string[]> {
  const len = Math.max(8, o.nameLength ?? 40);
  const n: NodeSpec[] = [{ path }];
  for (let i = 0; i < o.children; i++) {
    const base = `w${String(i).padStart(7, '0')}`;
    n.push({
      path: `${path}/${(base + '-member-of-a-very-wide-parent-node-'.repeat(Math.ceil(len / 34))).slice(0, len)}`,
    });
  }
  return build(zk, path, n, o.bulk);
}

/** A chain root/level-001/level-002/… `depth` levels below root. */
export async function deepPath(zk: ZooKeeperClient, root: string, depth: number): Promise<string[]> {
  const n: NodeSpec[] = [{ path: root }];
  let p = root;
  for (let d = 1; d <= depth; d++) {
    p = `${p}/level-${String(d).padStart(3, '0')}`;
    n.push({ path: p, data: Buffer.from(String(d)) });
  }
  return build(zk, root, n);
}

/** The server's default jute.maxbuffer: the largest request frame it reads (4-byte length not counted). */
export const JUTE_MAXBUFFER = 0xfffff;

/**
 * The most data a plain create of `path` (open ACL) can carry within jute.maxbuffer. The frame is
 * RequestHeader (8) + path (4 + len) + data (4 + n) + ACL vector (4 + 4 + "world" 9 + "anyone" 10) + flags (4).
 */
export const maxCreateData = (path: string): number => JUTE_MAXBUFFER - (8 + 4 + Buffer.byteLength(path) + 4 + 27 + 4);

/**
 * A node holding `bytes` bytes (default: the most that fits, see maxCreateData) of a recognisable
 * pattern (byte i is i % 251). Note a getData reply is 88 bytes + data, so above JUTE_MAXBUFFER - 88 a
 * client with the default 1 MB frame limit cannot read it back.
 */
export async function bigData(zk: ZooKeeperClient, path: string, bytes = maxCreateData(path)): Promise<string[]> {
  if (bytes > maxCreateData(path))
    throw new Error(`${bytes} bytes do not fit one create of ${path} (max ${maxCreateData(path)})`);
  await ensureParents(zk, path);
  const data = Buffer.alloc(bytes);
  for (let i = 0; i < bytes; i++) data[i] = i % 251;
  await zk.create(path, data);
  return [path];
}
