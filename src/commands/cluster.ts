import { surveyCluster, type ClusterReport } from '../cluster/report.js';
import { CLUSTER_JSON, type ClusterTrend } from '../output/cluster-view.js';
import { parseConnectString } from '../zk/host-provider.js';
import { longOpt } from './common.js';
import { UsageError, type CommandResult, type CommandSpec } from './spec.js';

/** Samples kept per member for the sparklines. */
const TREND = 30;

function positive(v: string | boolean | undefined, name: string, fallback: number, integer: boolean): number {
  if (v === undefined || v === false) return fallback;
  const ok = typeof v === 'string' && (integer ? /^\d{1,9}$/ : /^\d{1,6}(\.\d{1,3})?$/).test(v);
  const n = ok ? Number(v) : NaN;
  if (!(n >= 0) || (!integer && n <= 0))
    throw new UsageError(`${name} takes a ${integer ? 'whole number' : 'number of seconds'}, got: ${String(v)}`);
  return n;
}

function adminPorts(v: string | boolean | undefined): number[] {
  if (typeof v !== 'string') return [8080];
  return v.split(',').map((p) => {
    const n = /^\d{1,5}$/.test(p) ? Number(p) : NaN;
    if (!(n >= 1 && n <= 65535)) throw new UsageError(`--admin-port takes port numbers (1-65535), got: ${p}`);
    return n;
  });
}

function addSample(trend: ClusterTrend, r: ClusterReport): void {
  for (const m of r.members) {
    const t = (trend[m.server] ??= { latency: [], outstanding: [] });
    t.latency.push(m.latencyAvg);
    t.outstanding.push(m.outstanding);
    if (t.latency.length > TREND) t.latency.shift();
    if (t.outstanding.length > TREND) t.outstanding.shift();
  }
}

/** Resolves after `ms`, or at once when Ctrl-C aborts. */
const pause = (ms: number, signal: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    const t = setTimeout(done, ms);
    function done(): void {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });

export default {
  name: 'cluster',
  summary: 'every ensemble member side by side (srvr/mntr); a health check',
  usage: '[--watch] [--interval seconds] [--count n] [--max-lag n] [--admin-port port[,port…]] [--timeout seconds]',
  options: {
    watch: longOpt('watch', 'refresh until Ctrl-C (in place on a terminal, with sparklines)'),
    interval: longOpt('interval', 'seconds between refreshes with --watch (default 2)', { valueName: 'seconds' }),
    count: longOpt('count', 'with --watch: stop after this many refreshes', { valueName: 'n' }),
    maxLag: longOpt('max-lag', 'transactions a member may be behind the leader (default 1000)', { valueName: 'n' }),
    adminPort: longOpt('admin-port', 'AdminServer port, or one per member in the order shown (default 8080)', {
      valueName: 'port[,port…]',
    }),
    timeout: longOpt('timeout', 'seconds to wait for each member (default 3)', { valueName: 'seconds' }),
  },
  args: [],
  needsConnection: false,
  help:
    'Asks every member of the connect string, and every member of the ensemble config (from "conf", else the ' +
    "AdminServer's voting_view), for srvr and mntr, and shows them side by side: status, role, zxid and epoch, " +
    'lag behind the leader in transactions, latency min/avg/max, outstanding requests, connections, znodes, ' +
    'watches, approximate data size, version, and where the numbers came from. Members down, not serving or ' +
    'lagging are marked "!!" and listed under the table. A word a member does not whitelist is named with the ' +
    'zoo.cfg line that enables it (4lw.commands.whitelist=srvr,mntr,conf), and the AdminServer (server_stats, ' +
    'monitor) is asked instead, on --admin-port. It needs no session. As a health check (cron, CI, a ' +
    'readiness probe): exit 0 when every member serves and is within --max-lag of the leader, 1 when one is ' +
    'down, not serving, lagging or unreadable (the problems on stderr), 3 when no member answered. ' +
    '--watch redraws the table in place every --interval seconds on a terminal, with sparklines of average ' +
    'latency and outstanding requests per member; piped, each refresh is appended (JSON: one document per ' +
    'line). Ctrl-C (or --count) ends it with exit 0.',
  examples: [
    'zk-shell -server zk1:2181,zk2:2181,zk3:2181 cluster',
    'zk-shell -server zk1:2181 cluster --max-lag 100 || page-oncall',
    'zk-shell -server zk1:2181 cluster --watch --interval 1',
    'zk-shell -server zk1:2181,zk2:2181 --format json cluster --admin-port 8080',
  ],
  json: CLUSTER_JSON,
  table: 'one column per member, one row per measure (as the default format); problems and notes below',
  async run(ctx, p) {
    if (p.args.length > 0) throw new UsageError(`unexpected argument: ${p.args[0]}`);
    const interval = positive(p.options['interval'], '--interval', 2, false);
    const count = positive(p.options['count'], '--count', Infinity, true);
    const maxLag = positive(p.options['maxLag'], '--max-lag', 1000, true);
    const timeoutMs = positive(p.options['timeout'], '--timeout', 3, false) * 1000;
    const ports = adminPorts(p.options['adminPort']);
    const watch = p.options['watch'] === true;
    if (!watch && (p.options['interval'] !== undefined || p.options['count'] !== undefined))
      throw new UsageError('--interval and --count go with --watch');
    const hosts = parseConnectString(ctx.shell.connectString).hosts;
    const survey = (): Promise<ClusterReport> =>
      surveyCluster(hosts, { timeoutMs, adminPorts: ports, maxLag, tls: ctx.shell.tls });
    if (!watch) return { type: 'cluster', report: await survey() };
    const trend: ClusterTrend = {};
    const stopped = new Promise<null>((r) => ctx.signal.addEventListener('abort', () => r(null), { once: true }));
    let last: CommandResult = { type: 'none' };
    for (let i = 0; i < count && !ctx.signal.aborted; i++) {
      if (i > 0) await pause(interval * 1000, ctx.signal);
      if (ctx.signal.aborted) break;
      // Ctrl-C during a survey ends the view at once; the answers still on their way are dropped.
      const report = await Promise.race([survey(), stopped]);
      if (!report) break;
      addSample(trend, report);
      last = { type: 'cluster', report, trend, frame: { interval } };
      if (ctx.emit) await ctx.emit(last);
    }
    return last.type === 'cluster' ? { ...last, shown: true } : last;
  },
} as const satisfies CommandSpec;
