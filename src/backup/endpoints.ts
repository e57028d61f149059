// The sides of cp and diff: a znode path of the shell's session, a zk:// URL (another cluster, its own
// session) or an export file. Credentials for another cluster come from a variable or a file, never argv.
import { loadClientConfig, ClientConfigError } from '../cli/client-config.js';
import type { CommandContext, ZkAdapter } from '../commands/spec.js';
import { NotConnectedError, UsageError } from '../commands/spec.js';
import { readSecret } from '../commands/secret-source.js';
import { resolvePath } from '../shell/resolve-paths.js';
import { ZooKeeperClient } from '../zk/client.js';
import { parseConnectString } from '../zk/host-provider.js';
import { validatePath } from '../zk/path.js';
import { openDataDir, OpenFailed } from '../offline/open.js';
import type { OfflineZk } from '../offline/offline-zk.js';
import type { TlsOptions } from '../zk/transport.js';

export type Endpoint =
  | { kind: 'local'; path: string }
  | { kind: 'remote'; connectString: string; path: string; text: string }
  | { kind: 'file'; file: string }
  /** A server's data dir at a zxid (offline forensics); `pathGiven` false: diff takes the other side's path. */
  | { kind: 'data'; dir: string; zxid: string | undefined; path: string; pathGiven: boolean; text: string };

/** `data:DIR[@ZXID][:/PATH]`: a data dir as it was at ZXID (default: its newest state). */
function parseDataEndpoint(text: string): Endpoint {
  let rest = text.slice(5);
  let path = '/';
  const colon = rest.lastIndexOf(':/');
  const pathGiven = colon >= 0;
  if (pathGiven) {
    path = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    try {
      validatePath(path);
    } catch (e) {
      throw new UsageError(`bad path in ${text}: ${(e as Error).message}`);
    }
  }
  const at = rest.lastIndexOf('@');
  const dir = at >= 0 ? rest.slice(0, at) : rest;
  const zxid = at >= 0 ? rest.slice(at + 1) : undefined;
  if (!dir) throw new UsageError(`no directory in ${text}: data:DIR[@ZXID][:/PATH]`);
  return { kind: 'data', dir, zxid, path, pathGiven, text };
}

/**
 * An export file is named with a file: prefix or a .jsonl / .jsonl.gz name; zk:// is a cluster (its path
 * absolute); else a znode of the shell's session, relative ones resolved against `cwd` as every znode arg is.
 */
export function parseEndpoint(text: string, files: boolean, cwd = '/'): Endpoint {
  if (text.startsWith('data:')) return parseDataEndpoint(text);
  if (text.startsWith('zk://')) {
    const rest = text.slice(5);
    const slash = rest.indexOf('/');
    const hosts = slash < 0 ? rest : rest.slice(0, slash);
    const path = slash < 0 ? '/' : rest.slice(slash);
    try {
      validatePath(path);
    } catch (e) {
      throw new UsageError(`bad path in ${text}: ${(e as Error).message}`);
    }
    // zk:///path: the shell's own cluster and session.
    if (hosts === '') return { kind: 'local', path };
    try {
      parseConnectString(hosts);
    } catch (e) {
      throw new UsageError(`bad servers in ${text}: ${(e as Error).message}`);
    }
    return { kind: 'remote', connectString: hosts, path, text };
  }
  if (files && text.startsWith('file:')) return { kind: 'file', file: text.slice(5) };
  if (files && /\.jsonl(\.gz)?$/.test(text)) return { kind: 'file', file: text };
  return { kind: 'local', path: resolvePath(cwd, text) };
}

export interface RemoteOptions {
  /** zkCli client properties (TLS) for zk:// sides; default: the shell's own TLS settings. */
  config?: string | undefined;
  /** A variable or file holding scheme:auth (digest:user:password) for zk:// sides. */
  authEnv?: string | undefined;
  authFile?: string | undefined;
}

/** Sessions opened for zk:// sides; close() ends them all. */
export class Sessions {
  private readonly open: ZooKeeperClient[] = [];
  private readonly dataDirs = new Map<string, OfflineZk>();
  constructor(
    private readonly ctx: CommandContext,
    private readonly o: RemoteOptions,
    private readonly cmd: string,
  ) {}

  private credential(): { scheme: string; auth: string } | null {
    if (this.o.authEnv && this.o.authFile)
      throw new UsageError(`${this.cmd}: give --auth-env or --auth-file, not both`);
    const src = this.o.authEnv
      ? ({ kind: 'env', where: this.o.authEnv, option: '--auth-env' } as const)
      : this.o.authFile
        ? ({ kind: 'file', where: this.o.authFile, option: '--auth-file' } as const)
        : null;
    if (!src) return null;
    const v = readSecret(this.cmd, src);
    const colon = v.indexOf(':');
    if (colon <= 0 || colon === v.length - 1)
      throw new UsageError(`${this.cmd}: ${src.option} ${src.where} must hold scheme:auth, e.g. digest:user:password`);
    return { scheme: v.slice(0, colon), auth: v.slice(colon + 1) };
  }

  private tls(): TlsOptions | undefined {
    if (!this.o.config) return this.ctx.shell.tls;
    try {
      return loadClientConfig(this.o.config, (w) => this.ctx.note(`${this.o.config}: ${w}`));
    } catch (e) {
      throw new UsageError(e instanceof ClientConfigError ? e.message : String(e));
    }
  }

  /** The client for an endpoint: the shell's session for local paths, a new session for zk:// URLs. */
  async client(e: Exclude<Endpoint, { kind: 'file' }>): Promise<ZkAdapter & Partial<ZooKeeperClient>> {
    if (e.kind === 'data') {
      const key = `${e.dir}@${e.zxid ?? ''}`;
      let tree = this.dataDirs.get(key);
      if (!tree) {
        try {
          tree = openDataDir(e.dir, e.zxid);
        } catch (err) {
          // A missing or empty data dir is the user's trouble (exit 2, one line), as a missing file is.
          if (!(err instanceof OpenFailed)) throw err;
          const u = new UsageError(err.message);
          u.usage = '';
          throw u;
        }
        this.dataDirs.set(key, tree);
      }
      return tree;
    }
    if (e.kind === 'local') {
      if (!this.ctx.shell.ready) return this.ctx.zk;
      return await this.ctx.shell.ready();
    }
    const cred = this.credential();
    const tls = this.tls();
    let c: ZooKeeperClient;
    try {
      c = await ZooKeeperClient.connect(
        { connectString: e.connectString, sessionTimeout: 30000, ...(tls ? { tls } : {}) },
        15000,
        // A host that refuses is reported at once, not after the 15 s an unanswered one gets.
        true,
      );
    } catch (err) {
      throw new NotConnectedError(`cannot connect to ${e.text}: ${(err as Error).message}`);
    }
    this.open.push(c);
    // ZK_SHELL_AUTH is for every session the process opens; the option adds the other cluster's own.
    const envDigest = this.ctx.shell.envAuth('digest');
    if (envDigest) await c.addAuth('digest', envDigest);
    if (cred) await c.addAuth(cred.scheme, cred.auth);
    return c;
  }

  async close(): Promise<void> {
    await Promise.all(this.open.map((c) => c.close().catch(() => undefined)));
  }
}
