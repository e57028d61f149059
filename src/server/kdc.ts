import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { ensureKerberos, type KrbTools } from './install.js';
import { freePort } from './zookeeper-server.js';

/**
 * A throwaway MIT Kerberos KDC for tests: its own realm, database, krb5.conf and kdc.conf in a temp
 * dir, krb5kdc on a free loopback port (TCP and UDP), principals and key tabs made with kadmin.local.
 * Nothing outside the dir is read or written: every tool runs with KRB5_CONFIG / KRB5_KDC_PROFILE
 * pointing into it. stop() ends the krb5kdc we started (by PID) and removes the dir.
 */
export class Kdc {
  private proc: ChildProcess | null = null;

  constructor(
    readonly dir: string,
    readonly realm: string,
    readonly port: number,
    private readonly tools: KrbTools,
  ) {}

  get krb5Conf(): string {
    return path.join(this.dir, 'krb5.conf');
  }

  /** The environment a Kerberos client (kinit, zk-shell) needs to use this KDC. */
  get env(): Record<string, string> {
    return { KRB5_CONFIG: this.krb5Conf, KRB5_KDC_PROFILE: path.join(this.dir, 'kdc.conf') };
  }

  private run(file: string, args: string[]): string {
    return execFileSync(file, args, {
      env: { ...process.env, ...this.env },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  }

  private kadmin(query: string): void {
    this.run(this.tools.kadminLocal, ['-r', this.realm, '-q', query]);
  }

  /** Adds `name` (without realm) with a random key and exports it to a key tab; returns the key tab path. */
  addKeytabPrincipal(name: string): string {
    const keytab = path.join(this.dir, `${name.replace(/[^\w.-]/g, '_')}.keytab`);
    this.kadmin(`addprinc -randkey ${name}`);
    this.kadmin(`ktadd -k ${keytab} ${name}`);
    return keytab;
  }

  /** The full principal name. */
  principal(name: string): string {
    return `${name}@${this.realm}`;
  }

  /** kinit from a key tab into a new ticket cache; returns the cache ("FILE:…"). */
  kinit(name: string, keytab: string): string {
    const cache = `FILE:${path.join(this.dir, `${name.replace(/[^\w.-]/g, '_')}.ccache`)}`;
    this.run(this.tools.kinit, ['-k', '-t', keytab, '-c', cache, this.principal(name)]);
    return cache;
  }

  start(): void {
    const log = fs.openSync(path.join(this.dir, 'krb5kdc.out'), 'a');
    this.proc = spawn(this.tools.krb5kdc, ['-n', '-r', this.realm], {
      env: { ...process.env, ...this.env },
      stdio: ['ignore', log, log],
    });
    fs.closeSync(log);
  }

  /** Resolves once the KDC accepts TCP connections. */
  async waitReady(timeoutMs = 15000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.proc?.exitCode !== null) throw new Error(`krb5kdc exited: ${this.logTail()}`);
      const ok = await new Promise<boolean>((resolve) => {
        const s = net.connect(this.port, '127.0.0.1', () => {
          s.destroy();
          resolve(true);
        });
        s.on('error', () => resolve(false));
      });
      if (ok) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`krb5kdc not listening on 127.0.0.1:${this.port}: ${this.logTail()}`);
  }

  logTail(): string {
    for (const f of ['kdc.log', 'krb5kdc.out']) {
      try {
        return fs.readFileSync(path.join(this.dir, f), 'utf8').trim().split('\n').slice(-5).join(' | ');
      } catch {
        /* next */
      }
    }
    return '(no log)';
  }

  async stop(): Promise<void> {
    const p = this.proc;
    if (p && p.exitCode === null && p.signalCode === null) {
      const exited = new Promise<void>((r) => p.once('exit', () => r()));
      p.kill('SIGTERM');
      const t = setTimeout(() => p.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(t);
    }
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Creates the realm's database and starts krb5kdc. `log` receives install progress. */
export async function startKdc(
  opts: { realm?: string; baseDir?: string; log?: (line: string) => void } = {},
): Promise<Kdc> {
  const tools = ensureKerberos(opts.log);
  const realm = opts.realm ?? 'ZKSHELL.TEST';
  const dir = fs.mkdtempSync(path.join(opts.baseDir ?? os.tmpdir(), 'zk-shell-kdc-'));
  const port = await freePort();
  const kdc = new Kdc(dir, realm, port, tools);
  try {
    // TCP only (udp_preference_limit=1) for both MIT and Java; no DNS, no reverse lookups.
    fs.writeFileSync(
      kdc.krb5Conf,
      [
        '[libdefaults]',
        `  default_realm = ${realm}`,
        '  dns_lookup_kdc = false',
        '  dns_lookup_realm = false',
        '  dns_canonicalize_hostname = false',
        '  rdns = false',
        '  udp_preference_limit = 1',
        '  forwardable = false',
        '[realms]',
        `  ${realm} = {`,
        `    kdc = 127.0.0.1:${port}`,
        '  }',
        '[domain_realm]',
        `  localhost = ${realm}`,
        '',
      ].join('\n'),
    );
    fs.writeFileSync(
      path.join(dir, 'kdc.conf'),
      [
        '[kdcdefaults]',
        `  kdc_listen = 127.0.0.1:${port}`,
        `  kdc_tcp_listen = 127.0.0.1:${port}`,
        '[realms]',
        `  ${realm} = {`,
        `    database_name = ${path.join(dir, 'principal')}`,
        `    key_stash_file = ${path.join(dir, 'stash')}`,
        `    acl_file = ${path.join(dir, 'kadm5.acl')}`,
        '    max_life = 1h',
        '    max_renewable_life = 1h',
        '    supported_enctypes = aes256-cts-hmac-sha1-96:normal aes128-cts-hmac-sha1-96:normal',
        '  }',
        '[logging]',
        `  kdc = FILE:${path.join(dir, 'kdc.log')}`,
        `  default = FILE:${path.join(dir, 'kdc.log')}`,
        '',
      ].join('\n'),
    );
    fs.writeFileSync(path.join(dir, 'kadm5.acl'), '');
    execFileSync(tools.kdb5util, ['-r', realm, 'create', '-s', '-P', crypto.randomBytes(18).toString('base64')], {
      env: { ...process.env, ...kdc.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    kdc.start();
    await kdc.waitReady();
    return kdc;
  } catch (e) {
    await kdc.stop().catch(() => undefined);
    throw e;
  }
}
