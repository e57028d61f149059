import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startKdc, type Kdc } from '../../src/server/kdc.js';
import { startCluster, type ZkCluster } from '../../src/server/zookeeper-server.js';
import { REPO_ROOT } from '../helpers/fixtures.js';
import { BIN, runCli } from '../helpers/run-cli.js';

// A real MIT KDC with a throwaway realm, and a ZooKeeper that logs in with its own key tab
// (zookeeper/localhost@REALM) and requires SASL of every session.
let kdc: Kdc;
let cluster: ZkCluster;
let aliceCache: string;
let clientKeytab: string;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zk-shell-krb-'));

before(
  async () => {
    kdc = await startKdc({ log: (l) => process.stderr.write(`${l}\n`) });
    const serverKeytab = kdc.addKeytabPrincipal('zookeeper/localhost');
    clientKeytab = kdc.addKeytabPrincipal('zkcli');
    aliceCache = kdc.kinit('alice', kdc.addKeytabPrincipal('alice'));
    cluster = await startCluster(1, {
      sasl: {
        kerberos: { keyTab: serverKeytab, principal: kdc.principal('zookeeper/localhost'), krb5Conf: kdc.krb5Conf },
        enforce: true,
      },
      log: (l) => process.stderr.write(`${l}\n`),
    });
  },
  { timeout: 300000 },
);
after(async () => {
  await cluster?.stop();
  await kdc?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

const write = (name: string, text: string): string => {
  const f = path.join(dir, name);
  fs.writeFileSync(f, text, { mode: 0o600 });
  return f;
};
/** zk-shell as a Kerberos user runs it: KRB5_CONFIG for the realm, the ticket cache given. */
const krb = (args: string[], cache: string, extra: Record<string, string> = {}): ReturnType<typeof runCli> =>
  runCli(['-server', cluster.connectString, ...args], { env: { ...kdc.env, KRB5CCNAME: cache, ...extra } });
const noCache = (): string => `FILE:${path.join(dir, 'no-such-cache')}`;

describe('zk-shell with Kerberos (GSSAPI) against a real KDC', () => {
  it('uses the ticket cache: whoami shows the Kerberos principal', async () => {
    const r = await krb(['--sasl-mechanism', 'GSSAPI', 'whoami'], aliceCache);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^sasl: alice@ZKSHELL\.TEST$/m);
  });

  it('uses the key tab of the JAAS Client section (no ticket cache needed); sasl ACLs end to end', async () => {
    const jaas = write(
      'krb.jaas',
      `Client {
      com.sun.security.auth.module.Krb5LoginModule required
      useKeyTab=true keyTab="${clientKeytab}" storeKey=true useTicketCache=false
      principal="zkcli@${kdc.realm}";
    };`,
    );
    const c = await krb(
      [
        '--jaas',
        jaas,
        '-c',
        'whoami',
        '-c',
        'create /krb mine',
        '-c',
        `setAcl /krb sasl:zkcli@${kdc.realm}:cdrwa`,
        '-c',
        'get /krb',
      ],
      noCache(),
    );
    assert.equal(c.code, 0, c.stderr);
    assert.match(c.stdout, /^sasl: zkcli@ZKSHELL\.TEST$/m);
    assert.match(c.stdout, /^mine$/m);
    const denied = await krb(['--sasl-mechanism', 'GSSAPI', 'get', '/krb'], aliceCache);
    assert.equal(denied.code, 1);
    assert.equal(denied.stderr, 'Insufficient permission : /krb\n');
    assert.ok(!fs.existsSync(path.join(dir, 'no-such-cache')), 'the key tab login never writes the user cache');
  });

  it('no ticket: one line naming GSSAPI and the cause, exit 5, no reconnect loop', async () => {
    const r = await krb(['--sasl-mechanism', 'GSSAPI', 'ls', '/'], noCache());
    assert.equal(r.code, 5);
    assert.equal(r.stdout, '');
    assert.match(
      r.stderr,
      /^Not connected: SASL GSSAPI authentication as the ticket cache principal failed: .*No Kerberos credentials available.*\n$/,
    );
    assert.ok(r.ms < 10000, `${r.ms} ms`);
  });

  it('a JAAS key tab that does not exist: named, exit 2 (MIT would say the principal is not in the cache collection)', async () => {
    const missing = path.join(dir, 'no-such.keytab');
    const jaas = write(
      'missing-kt.jaas',
      `Client { com.sun.security.auth.module.Krb5LoginModule required
      useKeyTab=TRUE keyTab="${missing}" principal="zkcli@${kdc.realm}"; };`,
    );
    const r = await krb(['--jaas', jaas, 'ls', '/'], noCache());
    assert.deepEqual([r.code, r.stdout], [2, '']);
    assert.match(r.stderr, /^zk-shell: key tab .*no-such\.keytab not found\n$/);
  });

  it('GSSAPI against a server that is not set up for Kerberos: says so, exit 5', async (t) => {
    // A SASL server with DIGEST-MD5 only (the service principal exists, so the client gets a ticket).
    const digest = await startCluster(1, {
      sasl: { digestUsers: { bob: 'bob-pw' }, enforce: true },
      log: (l) => process.stderr.write(`${l}\n`),
    });
    t.after(() => digest.stop());
    const r = await runCli(['-server', digest.connectString, '--sasl-mechanism', 'GSSAPI', 'ls', '/'], {
      env: { ...kdc.env, KRB5CCNAME: aliceCache },
    });
    assert.equal(r.code, 5, r.stderr);
    assert.equal(
      r.stderr,
      'Not connected: SASL GSSAPI authentication as the ticket cache principal failed: the server did not accept GSSAPI: ' +
        'is it configured for Kerberos? (it answered with a DIGEST-MD5 challenge)\n',
    );
  });

  it('derives the service principal as zkCli does; client properties override it', async () => {
    const props = (name: string, text: string): string[] => [
      '-client-configuration',
      write(name, text),
      '--sasl-mechanism',
      'GSSAPI',
      'whoami',
    ];
    // Without canonicalization the principal is zookeeper/127.0.0.1, which the KDC does not know.
    const raw = await krb(
      props('nocanon.properties', 'zookeeper.sasl.client.canonicalize.hostname=false\n'),
      aliceCache,
    );
    assert.equal(raw.code, 5);
    assert.match(
      raw.stderr,
      /^Not connected: SASL GSSAPI authentication as the ticket cache principal failed: .*not found in Kerberos database.*\n$/,
    );
    const named = await krb(
      props(
        'named.properties',
        `zookeeper.sasl.client.canonicalize.hostname=false\nzookeeper.server.principal=zookeeper/localhost@${kdc.realm}\n`,
      ),
      aliceCache,
    );
    assert.equal(named.code, 0, named.stderr);
    assert.match(named.stdout, /^sasl: alice@ZKSHELL\.TEST$/m);
    const other = await krb(props('service.properties', 'zookeeper.sasl.client.username=zk\n'), aliceCache);
    assert.equal(other.code, 5);
    assert.match(other.stderr, /not found in Kerberos database/);
  });

  it('without the optional kerberos package: a one-line message, exit 5', async () => {
    // The shipped files alone (bin + bundle), where no node_modules can provide `kerberos`.
    const copy = path.join(dir, 'pkg');
    fs.mkdirSync(path.join(copy, 'dist'), { recursive: true });
    fs.cpSync(path.join(REPO_ROOT, 'bin'), path.join(copy, 'bin'), { recursive: true });
    fs.cpSync(path.join(REPO_ROOT, 'dist', 'bundle'), path.join(copy, 'dist', 'bundle'), { recursive: true });
    fs.writeFileSync(path.join(copy, 'package.json'), '{"type":"module"}\n');
    assert.notEqual(path.dirname(BIN), path.join(copy, 'bin'));
    const r = spawnSync(
      process.execPath,
      [
        path.join(copy, 'bin', 'zk-shell.js'),
        '-server',
        cluster.connectString,
        '--sasl-mechanism',
        'GSSAPI',
        'ls',
        '/',
      ],
      {
        encoding: 'utf8',
        cwd: copy,
        env: { ...process.env, ...kdc.env, KRB5CCNAME: aliceCache, NODE_PATH: '' },
        timeout: 30000,
      },
    );
    assert.equal(r.status, 5, r.stderr);
    assert.equal(
      r.stderr,
      "Not connected: SASL GSSAPI needs the optional 'kerberos' package, which is not installed or did not build (install libkrb5-dev, then: npm install kerberos)\n",
    );
  });
});
