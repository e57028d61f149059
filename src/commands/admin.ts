import { obj, mapOf } from '../output/json-shape.js';
import { REDACTED } from '../shell/redact.js';
import { opt } from './common.js';
import { readSecret, secretOption, type SecretSource } from './secret-source.js';
import { CommandFailed, NotConnectedError, UsageError, type CommandContext, type CommandSpec } from './spec.js';

/**
 * The Authorization header for -auth VALUE ("scheme auth"): the auth part may be left out (digest:
 * only the user given) and come from -E/-F, ZK_SHELL_AUTH with the same scheme, or a no-echo prompt.
 * No error shows a value.
 */
async function authHeader(ctx: CommandContext, value: string, from: SecretSource | undefined): Promise<string> {
  const sp = /\s/.exec(value)?.index ?? value.length;
  const scheme = value.slice(0, sp);
  const given = value.slice(sp).trim();
  const digest = scheme === 'digest';
  if (given === REDACTED || (digest && given.endsWith(`:${REDACTED}`))) {
    throw new UsageError(
      `admin: -auth ${REDACTED} stands for a secret that was not kept in history; type it again or use -E VAR / -F FILE`,
    );
  }
  const complete = digest ? given.includes(':') : given !== '';
  if (from) {
    if (complete) throw new UsageError(`admin: give the -auth secret or ${from.option}, not both`);
    if (digest && !given)
      throw new UsageError(
        `admin: -auth "digest USER" ${from.option} ${from.kind === 'env' ? 'VAR' : 'FILE'}: give the user in -auth`,
      );
    const secret = readSecret('admin', from);
    return `${scheme} ${digest ? `${given}:${secret}` : secret}`;
  }
  if (complete) return value;
  const env = ctx.shell.envAuth(scheme);
  if (env !== undefined && (!digest || !given || env.startsWith(`${given}:`))) return `${scheme} ${env}`;
  if (digest && given) return `digest ${given}:${await ctx.password(`Password for digest user ${given}: `)}`;
  throw new UsageError(
    `admin: -auth ${scheme} needs the auth: -auth "${scheme} …", -E VAR, -F FILE or ZK_SHELL_AUTH=${scheme}:…`,
  );
}

/** The AdminServer's commands in ZooKeeper 3.8/3.9 (for completion; any name is still sent as typed). */
export const ADMIN_COMMANDS = [
  'configuration',
  'connection_stat_reset',
  'connections',
  'dirs',
  'dump',
  'environment',
  'get_trace_mask',
  'hash',
  'initial_configuration',
  'is_read_only',
  'last_snapshot',
  'leader',
  'monitor',
  'observer_connection_stat_reset',
  'observers',
  'restore',
  'ruok',
  'server_stats',
  'set_trace_mask',
  'snapshot',
  'stat_reset',
  'stats',
  'system_properties',
  'voting_view',
  'watch_summary',
  'watches',
  'watches_by_path',
  'zabstate',
] as const;

export default {
  name: 'admin',
  summary: 'run an AdminServer command over HTTP(S)',
  usage: 'command [-port port] [-https] [-auth "scheme auth"] [-E VAR | -F FILE] [key=value…]',
  options: {
    'password-env': opt(
      'E',
      'read the -auth password (digest) or auth from this environment variable (also --password-env)',
      'VAR',
    ),
    'password-file': opt('F', 'read it from this file; one trailing newline is dropped (also --password-file)', 'file'),
  },
  args: [],
  raw: true,
  needsConnection: false,
  help:
    'Calls http://<server>:<port>/commands/<command> (port 8080 unless -port) on the connected server ' +
    '(or the first host of the connect string) and prints the JSON answer. An "error" in the answer or an ' +
    'HTTP error exits 1; no answer at all exits 3. The -auth value ("scheme auth", e.g. "digest root:secret") ' +
    'is sent as the Authorization header and never printed or kept in history. The secret need not be on the command line: ' +
    '-auth "digest root" with -E VAR / --password-env VAR or -F FILE / --password-file FILE (one trailing ' +
    'newline dropped) reads the password, for other schemes -auth SCHEME with -E/-F reads the auth; ' +
    '-auth SCHEME alone takes it from ZK_SHELL_AUTH=SCHEME:auth; -auth "digest root" alone asks for the ' +
    'password without echo in the interactive shell.',
  examples: [
    'zk-shell admin monitor -port 8080',
    'zk-shell admin snapshot -auth "digest root" -F /run/secrets/zk-root',
    'ZK_SHELL_AUTH=digest:root:secret zk-shell admin snapshot -auth digest',
  ],
  json: obj({ command: 'string', status: 'integer', response: mapOf('any') }),
  table: 'key/value of the answer (nested values as JSON)',
  async run(ctx, p) {
    const words = [...p.args];
    const command = words.shift();
    if (!command) throw new UsageError('missing AdminServer command (e.g. ruok, monitor, stats)');
    let port = 8080;
    let https = false;
    let auth: string | undefined;
    let from: SecretSource | undefined;
    let opt: ReturnType<typeof secretOption>;
    const params: Record<string, string> = {};
    for (let i = 0; i < words.length; i++) {
      const w = words[i]!;
      if (w === '-port' || w === '--port') {
        const v = words[++i];
        if (!v || !/^\d+$/.test(v) || Number(v) < 1 || Number(v) > 65535)
          throw new UsageError(`-port takes a port number (1-65535), got: ${v ?? '(nothing)'}`);
        port = Number(v);
      } else if (w === '-https' || w === '--https') https = true;
      else if (w === '-auth' || w === '--auth') {
        auth = words[++i];
        if (!auth) throw new UsageError('-auth takes "scheme auth"');
        if (auth === REDACTED)
          throw new UsageError(
            `admin: -auth ${REDACTED} stands for a secret that was not kept in history; type it again or use -E VAR / -F FILE`,
          );
      } else if ((opt = secretOption('admin', words, i))) {
        if (from) throw new UsageError('admin: give one of -E/--password-env and -F/--password-file');
        from = opt.source;
        i += opt.used - 1;
      } else if (/^[^=]+=/.test(w)) {
        const eq = w.indexOf('=');
        params[w.slice(0, eq)] = w.slice(eq + 1);
      } else throw new UsageError(`unexpected argument: ${w}`);
    }
    if (from && auth === undefined)
      throw new UsageError(`admin: ${from.option} reads the secret for -auth; give -auth too`);
    const header = auth === undefined ? undefined : await authHeader(ctx, auth, from);
    const host = ctx.shell.targetHost().host;
    const { adminCommand } = await import('../zk/admin-server.js');
    let res;
    try {
      res = await adminCommand(host, port, command, {
        https,
        ...(header ? { auth: header } : {}),
        params,
        ...(ctx.shell.tls ? { tls: ctx.shell.tls } : {}),
      });
    } catch (e) {
      // No HTTP answer at all is "could not connect" (exit 3), as for a ZooKeeper session.
      throw new NotConnectedError(`AdminServer at ${host}:${port} did not answer: ${(e as Error).message}`);
    }
    const error = res.body['error'];
    if (res.status >= 400 || (typeof error === 'string' && error.length > 0)) {
      throw new CommandFailed(`${command}: ${typeof error === 'string' ? error : `HTTP ${res.status}`}`);
    }
    return { type: 'admin', command, status: res.status, body: res.body };
  },
} as const satisfies CommandSpec;
