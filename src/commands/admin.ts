import { obj, mapOf } from '../output/json-shape.js';
import { REDACTED } from '../shell/redact.js';
import { CommandFailed, NotConnectedError, UsageError, type CommandSpec } from './spec.js';

export default {
  name: 'admin',
  summary: 'run an AdminServer command over HTTP(S)',
  usage: 'command [-port port] [-https] [-auth scheme:auth] [key=value…]',
  options: {},
  args: [],
  raw: true,
  needsConnection: false,
  help: 'Calls http://<server>:<port>/commands/<command> (port 8080 unless -port) on the connected server '
    + '(or the first host of the connect string) and prints the JSON answer. An "error" in the answer or an '
    + 'HTTP error exits 1; no answer at all exits 3. The -auth value is sent as the Authorization header and never printed.',
  examples: ['zk-shell admin monitor -port 8080', 'zk-shell admin snapshot -auth "digest root:secret"'],
  json: obj({ command: 'string', status: 'integer', response: mapOf('any') }),
  table: 'key/value of the answer (nested values as JSON)',
  async run(ctx, p) {
    const words = [...p.args];
    const command = words.shift();
    if (!command) throw new UsageError('missing AdminServer command (e.g. ruok, monitor, stats)');
    let port = 8080;
    let https = false;
    let auth: string | undefined;
    const params: Record<string, string> = {};
    for (let i = 0; i < words.length; i++) {
      const w = words[i]!;
      if (w === '-port' || w === '--port') {
        const v = words[++i];
        if (!v || !/^\d+$/.test(v) || Number(v) < 1 || Number(v) > 65535) throw new UsageError(`-port takes a port number (1-65535), got: ${v ?? '(nothing)'}`);
        port = Number(v);
      } else if (w === '-https' || w === '--https') https = true;
      else if (w === '-auth' || w === '--auth') {
        auth = words[++i];
        if (!auth) throw new UsageError('-auth takes "scheme auth"');
        if (auth === REDACTED) throw new UsageError(`-auth ${REDACTED} stands for a secret that was not kept in history; type it again`);
      } else if (/^[^=]+=/.test(w)) {
        const eq = w.indexOf('=');
        params[w.slice(0, eq)] = w.slice(eq + 1);
      } else throw new UsageError(`unexpected argument: ${w}`);
    }
    const host = ctx.shell.targetHost().host;
    const { adminCommand } = await import('../zk/admin-server.js');
    let res;
    try {
      res = await adminCommand(host, port, command, { https, ...(auth ? { auth } : {}), params, ...(ctx.shell.tls ? { tls: ctx.shell.tls } : {}) });
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
