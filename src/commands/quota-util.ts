import { Code, ZkError } from '../zk/errors.js';
import { UsageError, type ZkAdapter } from './spec.js';

/** ZooKeeper's StatsTrack: count/bytes plus (3.7+) hard limits, as the quota nodes store them. */
export type StatsTrack = Record<string, bigint>;

export const QUOTA_ROOT = '/zookeeper/quota';
export const LIMITS = 'zookeeper_limits';
export const STATS = 'zookeeper_stats';

export const quotaPath = (path: string): string => (path === '/' ? QUOTA_ROOT : QUOTA_ROOT + path);

/** Splits on runs of , and ; ; each piece is key=value; missing or empty values read as -1. */
export function parseStatsTrack(text: string | null | undefined): StatsTrack {
  const out: StatsTrack = { count: -1n, bytes: -1n };
  if (!text) return out;
  for (const piece of text.split(/[,;]+/)) {
    if (!piece) continue;
    const [key, value] = piece.split('=');
    if (!key) continue;
    out[key] = value && /^-?\d+$/.test(value) ? BigInt(value) : -1n;
  }
  return out;
}

/** count=…,bytes=… then, if other keys exist, "=" and ";key=value" for each, sorted. */
export function formatStatsTrack(s: StatsTrack): string {
  const base = `count=${s['count'] ?? -1n},bytes=${s['bytes'] ?? -1n}`;
  const rest = Object.keys(s)
    .filter((k) => k !== 'count' && k !== 'bytes')
    .sort();
  if (rest.length === 0) return base;
  return `${base}=${rest.map((k) => `;${k}=${s[k]}`).join('')}`;
}

/** -n/-b/-N/-B → StatsTrack keys. */
export const QUOTA_FLAGS = { n: 'count', b: 'bytes', N: 'countHardLimit', B: 'byteHardLimit' } as const;
export type QuotaFlag = keyof typeof QUOTA_FLAGS;

/** The one quota flag given, or a usage error (zkCli: options from one group). */
export function oneQuotaFlag(
  options: Readonly<Record<string, string | boolean | undefined>>,
  required: boolean,
): QuotaFlag | null {
  const given = (Object.keys(QUOTA_FLAGS) as QuotaFlag[]).filter(
    (f) => options[f] !== undefined && options[f] !== false,
  );
  if (given.length > 1) throw new UsageError(`only one of -n, -b, -N, -B may be given (got -${given.join(', -')})`);
  if (given.length === 0) {
    if (required) throw new UsageError('one of -n, -b, -N, -B is required');
    return null;
  }
  return given[0]!;
}

/** A quota node's text, or null when it does not exist. */
export async function readQuotaNode(zk: ZkAdapter, path: string): Promise<string | null> {
  try {
    return (await zk.getData(path)).data?.toString('utf8') ?? '';
  } catch (e) {
    if (e instanceof ZkError && e.code === Code.NONODE) return null;
    throw e;
  }
}
