// Long on purpose (~330 lines): one ZooKeeper process and the ensemble config around it (ports,
// TLS, SASL, zoo.cfg), for tests, the sandbox and the bench.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fourLetterWord } from '../zk/four-letter.js';
import { generateTestPki, type TestPki } from './certs.js';
import { ensureZooKeeper, type ZkInstall } from './install.js';

/** Digest of super:admin, so tests can act as the superuser. */
export const SUPER_DIGEST = 'super:xQJmxLMiHGwaqBvst5y6rkB6HQs=';
export const SUPER_AUTH = 'super:admin';

/** Asks the kernel for a free loopback port. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

const started = new Set<ChildProcess>();
// Never leave a JVM behind, whatever way the test process ends; only processes we started, by PID. 'exit'
// covers a normal end; a process killed by a signal (a test file past its timeout, kill -9 of a sandbox)
// runs no code, so each JVM also gets a watchdog (see watchJvm).
process.once('exit', () => {
  for (const p of started)
    if (p.exitCode === null && p.pid)
      try {
        process.kill(p.pid, 'SIGKILL');
      } catch {
        /* gone */
      }
});

/**
 * A detached shell that SIGKILLs the JVM, by its PID, once this process is gone. It checks first that the PID
 * still runs our config file, so a PID reused by another process is left alone.
 */
function watchJvm(jvm: number, cfgFile: string): ChildProcess {
  const script =
    'while kill -0 "$1" 2>/dev/null; do sleep 1; done; ' +
    'if grep -qF -- "$3" "/proc/$2/cmdline" 2>/dev/null; then kill -9 "$2"; fi';
  const w = spawn('/bin/sh', ['-c', script, 'zk-watchdog', String(process.pid), String(jvm), cfgFile], {
    stdio: 'ignore',
    detached: true,
  });
  w.on('error', () => undefined);
  w.unref();
  return w;
}

export interface ServerConfig {
  id: number;
  dir: string;
  clientPort: number;
  adminPort: number;
  secureClientPort?: number;
  peerPort?: number;
  electionPort?: number;
}

/** One ZooKeeper JVM, started by us, controlled by its PID. */
export class ZkServer {
  private proc: ChildProcess | null = null;

  constructor(
    readonly install: ZkInstall,
    readonly cfg: ServerConfig,
    private readonly cfgFile: string,
    private readonly jvmFlags: string[],
  ) {}

  get pid(): number | undefined {
    return this.proc?.pid;
  }

  get running(): boolean {
    return this.proc !== null && this.proc.exitCode === null && this.proc.signalCode === null;
  }

  get logFile(): string {
    return path.join(this.cfg.dir, 'server.log');
  }

  get address(): string {
    return `127.0.0.1:${this.cfg.clientPort}`;
  }

  /** Starts the JVM; does not wait for it to serve (see waitServing). */
  start(mainClass: string): void {
    if (this.running) return;
    const log = fs.openSync(this.logFile, 'a');
    this.proc = spawn(
      this.install.java,
      [
        '-Xmx256m',
        '-XX:+UseSerialGC',
        '-XX:TieredStopAtLevel=1',
        ...this.jvmFlags,
        '-cp',
        this.install.classpath,
        mainClass,
        this.cfgFile,
      ],
      { stdio: ['ignore', log, log], cwd: this.cfg.dir },
    );
    fs.closeSync(log);
    started.add(this.proc);
    if (this.proc.pid) this.watchdog = watchJvm(this.proc.pid, this.cfgFile);
    this.mainClass = mainClass;
  }
  private watchdog: ChildProcess | null = null;
  private mainClass = '';

  /** Polls `srvr` until the server says it is serving (a mode line), or fails with the log tail. */
  async waitServing(timeoutMs = 30000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let last = '';
    while (Date.now() < deadline) {
      if (!this.running)
        throw new Error(
          `ZooKeeper server ${this.cfg.id} exited (code ${this.proc?.exitCode}); log tail:\n${this.logTail()}`,
        );
      try {
        last = await fourLetterWord('127.0.0.1', this.cfg.clientPort, 'srvr', { timeoutMs: 1000 });
        if (/^Mode: /m.test(last)) return;
      } catch (e) {
        last = (e as Error).message;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(
      `ZooKeeper server ${this.cfg.id} not serving after ${timeoutMs} ms (${last.trim().split('\n')[0]}); log tail:\n${this.logTail()}`,
    );
  }

  logTail(lines = 25): string {
    try {
      return fs.readFileSync(this.logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
    } catch {
      return '(no log)';
    }
  }

  /** SIGTERM, then SIGKILL if it is still alive after `graceMs`. */
  async stop(graceMs = 5000): Promise<void> {
    await this.signal('SIGTERM', graceMs);
  }

  /** SIGKILL: the server vanishes as in a crash. */
  async kill(): Promise<void> {
    await this.signal('SIGKILL', 5000);
  }

  private async signal(sig: NodeJS.Signals, graceMs: number): Promise<void> {
    const p = this.proc;
    if (!p || !this.running) return;
    const exited = new Promise<void>((r) => p.once('exit', () => r()));
    p.kill(sig);
    const timer = setTimeout(() => {
      if (p.exitCode === null) p.kill('SIGKILL');
    }, graceMs);
    await exited;
    clearTimeout(timer);
    started.delete(p);
    // Its JVM is gone: the watchdog has nothing left to do.
    this.watchdog?.kill('SIGKILL');
    this.watchdog = null;
  }

  async restart(): Promise<void> {
    await this.stop();
    this.start(this.mainClass);
    await this.waitServing();
  }
}

/** SASL on the server side: a JAAS `Server` section and the SASL auth provider. */
export interface SaslServerOptions {
  /** DIGEST-MD5 users (name → password): DigestLoginModule's user_NAME options. */
  digestUsers?: Record<string, string>;
  /** Kerberos (GSSAPI): the server's key tab and principal (zookeeper/HOST@REALM), and the JVM's krb5.conf. */
  kerberos?: { keyTab: string; principal: string; krb5Conf: string };
  /** enforce.auth.enabled=true, enforce.auth.schemes=sasl: a session must pass SASL before any request. */
  enforce?: boolean;
}

const q = (s: string): string => `"${s.replace(/(["\\])/g, '\\$1')}"`;

/** The JAAS file, zoo.cfg lines and JVM flags for `sasl`. */
function saslServerSetup(
  dir: string,
  sasl: SaslServerOptions,
): { config: Record<string, string>; properties: Record<string, string> } {
  const module = sasl.kerberos
    ? `com.sun.security.auth.module.Krb5LoginModule required useKeyTab=true keyTab=${q(sasl.kerberos.keyTab)} storeKey=true useTicketCache=false principal=${q(sasl.kerberos.principal)}`
    : `org.apache.zookeeper.server.auth.DigestLoginModule required ${Object.entries(sasl.digestUsers ?? {})
        .map(([u, p]) => `user_${u}=${q(p)}`)
        .join(' ')}`;
  const jaas = path.join(dir, 'jaas-server.conf');
  fs.writeFileSync(jaas, `Server {\n  ${module};\n};\n`, { mode: 0o600 });
  const config: Record<string, string> = {
    'authProvider.sasl': 'org.apache.zookeeper.server.auth.SASLAuthenticationProvider',
  };
  if (sasl.enforce) Object.assign(config, { 'enforce.auth.enabled': 'true', 'enforce.auth.schemes': 'sasl' });
  // JAAS files are read in the default charset: make it UTF-8 whatever the locale (non-ASCII passwords).
  const properties: Record<string, string> = { 'java.security.auth.login.config': jaas, 'file.encoding': 'UTF-8' };
  if (sasl.kerberos) properties['java.security.krb5.conf'] = sasl.kerberos.krb5Conf;
  return { config, properties };
}

export interface ClusterOptions {
  /** Extra zoo.cfg lines. */
  config?: Record<string, string>;
  /** Extra -D system properties. */
  properties?: Record<string, string>;
  /** Extra JVM options, after the test defaults (the bench gives the server a bigger heap and full JIT). */
  jvm?: string[];
  /** Enable a TLS client port (secureClientPort) with a generated PKI. */
  tls?: boolean;
  /** Require or offer SASL (DIGEST-MD5 users, or Kerberos). */
  sasl?: SaslServerOptions;
  /** The client port of a standalone server (default: a free one). */
  clientPort?: number;
  /** Parent directory for the temp dir (default the OS temp dir). */
  baseDir?: string;
  log?: (line: string) => void;
}

/** A standalone server or an ensemble in a temp dir; stop() ends every JVM and removes the dir. */
export class ZkCluster {
  pki: TestPki | null = null;

  constructor(
    readonly dir: string,
    readonly servers: ZkServer[],
  ) {}

  /** "127.0.0.1:p1,127.0.0.1:p2,…" */
  get connectString(): string {
    return this.servers.map((s) => s.address).join(',');
  }

  get secureConnectString(): string {
    return this.servers.map((s) => `127.0.0.1:${s.cfg.secureClientPort}`).join(',');
  }

  async stop(): Promise<void> {
    await Promise.all(this.servers.map((s) => s.stop()));
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

function writeConfig(file: string, lines: Record<string, string | number>): void {
  fs.writeFileSync(
    file,
    Object.entries(lines)
      .map(([k, v]) => `${k}=${v}`)
      .join('\n') + '\n',
  );
}

function baseProperties(opts: ClusterOptions): string[] {
  const props: Record<string, string> = {
    'zookeeper.extendedTypesEnabled': 'true',
    'zookeeper.DigestAuthenticationProvider.superDigest': SUPER_DIGEST,
    'zookeeper.admin.enableServer': 'true',
    'org.slf4j.simpleLogger.showDateTime': 'true',
    ...opts.properties,
  };
  return Object.entries(props).map(([k, v]) => `-D${k}=${v}`);
}

/** Starts `count` servers (1 = ZooKeeperServerMain, more = QuorumPeerMain with myid files). */
export async function startCluster(count = 1, opts: ClusterOptions = {}): Promise<ZkCluster> {
  const install = ensureZooKeeper(opts.log);
  const dir = fs.mkdtempSync(path.join(opts.baseDir ?? os.tmpdir(), 'zk-shell-zk-'));
  const cluster = new ZkCluster(dir, []);
  try {
    let tlsLines: Record<string, string> = {};
    if (opts.tls) {
      cluster.pki = generateTestPki(path.join(dir, 'pki'));
      const pki = cluster.pki;
      tlsLines = {
        serverCnxnFactory: 'org.apache.zookeeper.server.NettyServerCnxnFactory',
        'ssl.keyStore.location': pki.serverP12,
        'ssl.keyStore.password': pki.password,
        'ssl.keyStore.type': 'PKCS12',
        'ssl.trustStore.location': pki.trustP12,
        'ssl.trustStore.password': pki.password,
        'ssl.trustStore.type': 'PKCS12',
        'ssl.clientAuth': 'want',
      };
    }
    const cfgs: ServerConfig[] = [];
    for (let i = 1; i <= count; i++) {
      const sdir = path.join(dir, `server${i}`);
      fs.mkdirSync(path.join(sdir, 'data'), { recursive: true });
      const c: ServerConfig = {
        id: i,
        dir: sdir,
        clientPort: count === 1 && opts.clientPort ? opts.clientPort : await freePort(),
        adminPort: await freePort(),
      };
      if (opts.tls) c.secureClientPort = await freePort();
      if (count > 1) {
        c.peerPort = await freePort();
        c.electionPort = await freePort();
        fs.writeFileSync(path.join(sdir, 'data', 'myid'), `${i}\n`);
      }
      cfgs.push(c);
    }
    if (opts.sasl) {
      const s = saslServerSetup(dir, opts.sasl);
      opts = { ...opts, config: { ...s.config, ...opts.config }, properties: { ...s.properties, ...opts.properties } };
    }
    const flags = baseProperties(opts);
    for (const c of cfgs) {
      const lines: Record<string, string | number> = {
        tickTime: 2000,
        initLimit: 10,
        syncLimit: 5,
        dataDir: path.join(c.dir, 'data'),
        clientPort: c.clientPort,
        clientPortAddress: '127.0.0.1',
        '4lw.commands.whitelist': '*',
        'admin.serverAddress': '127.0.0.1',
        'admin.serverPort': c.adminPort,
        ...(c.secureClientPort ? { secureClientPort: c.secureClientPort } : {}),
        ...tlsLines,
        ...opts.config,
      };
      if (count > 1) {
        for (const o of cfgs)
          lines[`server.${o.id}`] = `127.0.0.1:${o.peerPort}:${o.electionPort};127.0.0.1:${o.clientPort}`;
      }
      const file = path.join(c.dir, 'zoo.cfg');
      writeConfig(file, lines);
      cluster.servers.push(new ZkServer(install, c, file, [...flags, ...(opts.jvm ?? [])]));
    }
    const main =
      count > 1
        ? 'org.apache.zookeeper.server.quorum.QuorumPeerMain'
        : 'org.apache.zookeeper.server.ZooKeeperServerMain';
    for (const s of cluster.servers) s.start(main);
    await Promise.all(cluster.servers.map((s) => s.waitServing(60000)));
    return cluster;
  } catch (e) {
    await cluster.stop().catch(() => undefined);
    throw e;
  }
}
