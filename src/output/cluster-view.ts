// `cluster`: the members side by side (one column each, one row per measure), problems and notes under
// the table, sparklines of latency and outstanding requests while watching. The exit status is decided
// here, after the view is printed, so a health check gets both the table and a failing code.
import type { CommandResult } from '../commands/spec.js';
import { CommandFailed, NotConnectedError } from '../commands/spec.js';
import type { ClusterReport, MemberReport } from '../cluster/report.js';
import { anyOf, arrayOf, mapOf, obj, type Shape } from './json-shape.js';
import { jsonText } from './json.js';
import { tablesText, type TableSpec } from './table.js';

export type ClusterResult = Extract<CommandResult, { type: 'cluster' }>;

/** Per member (by server), the last samples of average latency and outstanding requests, oldest first. */
export type ClusterTrend = Record<string, { latency: (number | null)[]; outstanding: (number | null)[] }>;

const MEMBER: Shape = obj({
  server: 'string',
  id: anyOf('integer', 'null'),
  source: 'string',
  status: 'string',
  role: anyOf('string', 'null'),
  zxid: anyOf('string', 'null'),
  epoch: anyOf('integer', 'null'),
  lag: anyOf('integer', 'null'),
  latencyMin: anyOf('number', 'null'),
  latencyAvg: anyOf('number', 'null'),
  latencyMax: anyOf('number', 'null'),
  outstanding: anyOf('integer', 'null'),
  connections: anyOf('integer', 'null'),
  znodes: anyOf('integer', 'null'),
  watches: anyOf('integer', 'null'),
  dataSize: anyOf('integer', 'null'),
  version: anyOf('string', 'null'),
  via: arrayOf('string'),
  error: anyOf('string', 'null'),
  notes: arrayOf('string'),
});

export const CLUSTER_JSON: Shape = obj({
  time: 'string',
  leader: anyOf('string', 'null'),
  maxLag: 'integer',
  healthy: 'boolean',
  members: arrayOf(MEMBER),
  problems: arrayOf('string'),
  notes: arrayOf('string'),
  'trend?': mapOf(obj({ latency: arrayOf(anyOf('number', 'null')), outstanding: arrayOf(anyOf('number', 'null')) })),
});

const STATUS: Record<MemberReport['status'], string> = {
  ok: 'ok',
  down: '!! DOWN',
  'not-serving': '!! NOT SERVING',
  lagging: '!! LAGGING',
  unknown: '?? UNKNOWN',
};

const n = (v: number | null): string => (v === null ? '-' : String(v));

const bytes = (v: number | null): string => {
  if (v === null) return '-';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let x = v;
  let u = 0;
  while (x >= 1024 && u < units.length - 1) {
    x /= 1024;
    u++;
  }
  return u === 0 ? `${v} B` : `${x.toFixed(1)} ${units[u]}`;
};

/** Draws a sparkline; a sample a member did not give (down) is a gap. */
type Spark = (values: readonly (number | null)[]) => string;

/** sparkly (and the chalk it imports) is loaded only when a --watch frame is drawn. */
async function loadSpark(): Promise<Spark> {
  const { default: sparkly } = await import('sparkly');
  return (values) => (values.length === 0 ? '' : sparkly(values.map((v) => (v === null ? Number.NaN : v))));
}

/** One row per measure, one column per member. */
export function clusterTable(report: ClusterReport, trend?: ClusterTrend, spark?: Spark): TableSpec {
  const ms = report.members;
  const row = (label: string, f: (m: MemberReport) => string): string[] => [label, ...ms.map(f)];
  const rows: string[][] = [
    row('status', (m) => STATUS[m.status]),
    row('role', (m) => m.role ?? '-'),
    row('id', (m) => (m.id === null ? '-' : String(m.id)) + (m.source === 'config' ? ' (config)' : '')),
    row('zxid', (m) => m.zxid ?? '-'),
    row('epoch', (m) => n(m.epoch)),
    row('lag', (m) => (m.status === 'lagging' && m.lag !== null ? `!! ${m.lag}` : n(m.lag))),
    row('latency min/avg/max', (m) =>
      m.latencyAvg === null ? '-' : `${n(m.latencyMin)}/${n(m.latencyAvg)}/${n(m.latencyMax)}`,
    ),
    row('outstanding', (m) => n(m.outstanding)),
    row('connections', (m) => n(m.connections)),
    row('znodes', (m) => n(m.znodes)),
    row('watches', (m) => n(m.watches)),
    row('data size', (m) => bytes(m.dataSize)),
    row('version', (m) => m.version ?? '-'),
    row('from', (m) => m.via.join(' ') || '-'),
  ];
  if (trend && spark) {
    rows.push(row('latency trend', (m) => spark(trend[m.server]?.latency ?? [])));
    rows.push(row('outstanding trend', (m) => spark(trend[m.server]?.outstanding ?? [])));
  }
  return { head: ['', ...ms.map((m) => m.server)], rows };
}

/** The lines under the table: why it is unhealthy, then notes (whitelist lines, errors). */
export function clusterLines(report: ClusterReport): string[] {
  const out = report.problems.map((p) => `!! ${p}`);
  for (const m of report.members) for (const note of m.notes) out.push(`note: ${note}`);
  for (const note of report.notes) out.push(`note: ${note}`);
  return out;
}

/** --format table: the members, then problems and notes as a one-column table. */
export function clusterTables(report: ClusterReport, trend?: ClusterTrend, spark?: Spark): TableSpec[] {
  const lines = clusterLines(report);
  return [
    clusterTable(report, trend, spark),
    ...(lines.length ? [{ head: ['problems and notes'], rows: lines.map((l) => [l]) }] : []),
  ];
}

export const clusterJson = (r: ClusterResult): unknown => (r.trend ? { ...r.report, trend: r.trend } : r.report);

/** The failure a health check sees, once the view is out: exit 3 when nobody answered, else 1. */
function verdict(report: ClusterReport): void {
  if (report.healthy) return;
  if (report.members.every((m) => m.status === 'down'))
    throw new NotConnectedError(`cluster: no member answered (${report.members.map((m) => m.server).join(', ')})`);
  throw new CommandFailed(
    `cluster: ${report.problems.length} problem${report.problems.length === 1 ? '' : 's'}`,
    report.problems,
  );
}

export interface ClusterSink {
  out(text: string): void;
  /** Replaces the screen (a terminal only). */
  screen?(text: string): void;
}

/** Renders a report (one shot) or a frame (watching: in place on a terminal, appended otherwise). */
export async function renderCluster(
  r: ClusterResult,
  sink: ClusterSink,
  o: { format: 'zkcli' | 'json' | 'table'; width?: number | undefined },
): Promise<void> {
  if (r.shown) return;
  let text: string;
  if (o.format === 'json') text = `${jsonText(clusterJson(r))}\n`;
  else {
    const header = r.frame === undefined ? '' : `${r.report.time}  every ${r.frame.interval}s  (Ctrl-C to stop)\n`;
    const spark = r.trend ? await loadSpark() : undefined;
    if (o.format === 'table') text = header + (await tablesText(clusterTables(r.report, r.trend, spark), o.width));
    else {
      const table = await tablesText([clusterTable(r.report, r.trend, spark)], o.width);
      text =
        header +
        table +
        clusterLines(r.report)
          .map((l) => `${l}\n`)
          .join('');
    }
  }
  if (r.frame !== undefined && o.format !== 'json' && sink.screen) sink.screen(text);
  else sink.out(text);
  if (r.frame === undefined) verdict(r.report);
}
