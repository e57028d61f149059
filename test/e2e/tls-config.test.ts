import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import tls from 'node:tls';
import { describe, it } from 'node:test';
import { useCluster } from '../helpers/cluster.js';
import { runCli } from '../helpers/run-cli.js';

const env = useCluster(1, { tls: true });

describe('-client-configuration (zkCli TLS properties) against a TLS server', () => {
  const write = (name: string, props: Record<string, string>): string => {
    const file = path.join(env.cluster.pki!.dir, name);
    fs.writeFileSync(
      file,
      Object.entries(props)
        .map(([k, v]) => `${k}=${v}`)
        .join('\n'),
    );
    return file;
  };

  it('PEM key store (key + chain in one file) and PKCS12 trust store', async () => {
    const pki = env.cluster.pki!;
    const pem = path.join(pki.dir, 'client-keystore.pem');
    fs.writeFileSync(pem, fs.readFileSync(pki.clientKey, 'utf8') + fs.readFileSync(pki.clientPem, 'utf8'));
    const cfg = write('pem.properties', {
      'zookeeper.client.secure': 'true',
      'zookeeper.ssl.keyStore.location': pem,
      'zookeeper.ssl.trustStore.location': pki.trustP12,
      'zookeeper.ssl.trustStore.password': pki.password,
      'zookeeper.ssl.trustStore.type': 'PKCS12',
    });
    const r = await runCli([
      '-server',
      env.cluster.secureConnectString,
      '-client-configuration',
      cfg,
      '-c',
      'create /tls-e2e x',
      '-c',
      'whoami',
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /x509: CN=client/);
  });

  it('PKCS12 key store and PEM trust store; a wrong password fails in one line without showing it', async () => {
    const pki = env.cluster.pki!;
    const good = write('p12.properties', {
      'zookeeper.client.secure': 'true',
      'zookeeper.ssl.keyStore.location': pki.clientP12,
      'zookeeper.ssl.keyStore.password': pki.password,
      'zookeeper.ssl.trustStore.location': pki.caPem,
    });
    const r = await runCli(['-server', env.cluster.secureConnectString, '-client-configuration', good, 'ls', '/']);
    assert.equal(r.code, 0, r.stderr);
    const bad = write('bad.properties', {
      'zookeeper.client.secure': 'true',
      'zookeeper.ssl.keyStore.location': pki.clientP12,
      'zookeeper.ssl.keyStore.password': 'wrong-secret-123',
      'zookeeper.ssl.trustStore.location': pki.caPem,
    });
    const b = await runCli(['-server', env.cluster.secureConnectString, '-client-configuration', bad, 'ls', '/']);
    assert.equal(b.code, 2, b.stderr);
    assert.match(
      b.stderr,
      /^zk-shell: .*bad.properties: cannot read key store .*client.p12 \(wrong password or not PKCS12\)\n$/,
    );
    assert.doesNotMatch(b.stderr, /wrong-secret-123|mac verify|error:/);
  });

  it('openssl (PKCS12 trust store) inherits neither ZK_SHELL_SASL_PASSWORD nor ZK_SHELL_AUTH', async () => {
    const pki = env.cluster.pki!;
    // An openssl first on PATH that records its environment, then runs the real one.
    const bin = path.join(pki.dir, 'spy-bin');
    fs.mkdirSync(bin, { recursive: true });
    const dump = path.join(pki.dir, 'openssl.env');
    const real = (process.env['PATH'] ?? '')
      .split(':')
      .map((d) => path.join(d, 'openssl'))
      .find((f) => fs.existsSync(f))!;
    fs.writeFileSync(path.join(bin, 'openssl'), `#!/bin/sh\nenv > '${dump}'\nexec '${real}' "$@"\n`, { mode: 0o755 });
    const cfg = write('spy.properties', {
      'zookeeper.client.secure': 'true',
      'zookeeper.ssl.keyStore.location': pki.clientP12,
      'zookeeper.ssl.keyStore.password': pki.password,
      'zookeeper.ssl.trustStore.location': pki.trustP12,
      'zookeeper.ssl.trustStore.password': pki.password,
    });
    const r = await runCli(['-server', env.cluster.secureConnectString, '-client-configuration', cfg, 'whoami'], {
      env: {
        PATH: `${bin}:${process.env['PATH'] ?? ''}`,
        ZK_SHELL_SASL_PASSWORD: 'pw-sasl-leak',
        ZK_SHELL_AUTH: 'digest:u:pw-auth-leak',
      },
    });
    assert.equal(r.code, 0, r.stderr);
    const seen = fs.readFileSync(dump, 'utf8');
    assert.match(seen, /^PATH=/m, 'the spy ran');
    assert.doesNotMatch(seen, /pw-sasl-leak|pw-auth-leak|ZK_SHELL_SASL_PASSWORD|ZK_SHELL_AUTH/);
  });

  const base = (): Record<string, string> => {
    const pki = env.cluster.pki!;
    return {
      'zookeeper.ssl.keyStore.location': pki.clientP12,
      'zookeeper.ssl.keyStore.password': pki.password,
      'zookeeper.ssl.trustStore.location': pki.caPem,
    };
  };
  const run = (cfg: string, server = env.cluster.secureConnectString, ...cmd: string[]) =>
    runCli(['-server', server, '-timeout', '5000', '-client-configuration', cfg, ...(cmd.length ? cmd : ['whoami'])]);

  it('zookeeper.client.secure=TRUE (any case, as zkCli) is TLS: x509 identity on the secure port, refused by the plain one', async () => {
    for (const v of ['TRUE', ' True ']) {
      const cfg = write('upper.properties', { ...base(), 'zookeeper.client.secure': v });
      const r = await run(cfg);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /x509: CN=client/);
      assert.equal(r.stderr, '');
      const plain = await run(cfg, env.cluster.connectString, 'ls', '/');
      assert.equal(plain.code, 3, 'no plaintext fallback');
      assert.equal(plain.stdout, '');
    }
  });

  it('every documented client property, as zkCli spells it, connects', async () => {
    const pw = path.join(env.cluster.pki!.dir, 'pw.txt');
    fs.writeFileSync(pw, `${env.cluster.pki!.password}\n`);
    const cases: Record<string, string>[] = [
      { 'zookeeper.clientCnxnSocket': 'org.apache.zookeeper.ClientCnxnSocketNetty' },
      { 'zookeeper.ssl.protocol': 'TLSv1.2' },
      { 'zookeeper.ssl.protocol': 'TLSv1.3' },
      { 'zookeeper.ssl.enabledProtocols': 'TLSv1.2,TLSv1.3' },
      {
        'zookeeper.ssl.ciphersuites':
          'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,TLS_AES_128_GCM_SHA256',
      },
      { 'zookeeper.ssl.hostnameVerification': 'TRUE' },
      { 'zookeeper.ssl.keyStore.type': 'pkcs12', 'zookeeper.ssl.trustStore.type': 'pem' },
      { 'zookeeper.ssl.keyStore.password': '', 'zookeeper.ssl.keyStore.passwordPath': pw },
    ];
    for (const c of cases) {
      const cfg = write('case.properties', { ...base(), 'zookeeper.client.secure': 'true', ...c });
      const r = await run(cfg);
      assert.equal(r.code, 0, `${JSON.stringify(c)}: ${r.stderr}`);
      assert.match(r.stdout, /x509: CN=client/, JSON.stringify(c));
    }
  });

  it('settings that cannot be honoured fail in one line (exit 2) before connecting; unknown keys warn', async () => {
    const bad: [Record<string, string>, RegExp][] = [
      [{ 'zookeeper.client.secure': 'yes' }, /zookeeper.client.secure must be true or false, got "yes"/],
      [
        { 'zookeeper.client.secure': 'true', 'zookeeper.clientCnxnSocket': 'ClientCnxnSocketNIO' },
        /the NIO socket cannot do TLS/,
      ],
      [{ 'zookeeper.client.secure': 'true', 'zookeeper.ssl.crl': 'true' }, /crl=true/],
      [{ 'zookeeper.client.secure': 'true', 'zookeeper.ssl.enabledProtocols': 'TLSv1' }, /TLSv1 is not supported/],
      [
        { 'zookeeper.client.secure': 'true', 'zookeeper.ssl.ciphersuites': 'TLS_RSA_WITH_NULL' },
        /unsupported cipher suite/,
      ],
      // Java ignores a misspelt key: zkCli would connect in plaintext.
      [
        { 'zookeper.client.secure': 'true' },
        /zookeper.client.secure is not a property \(did you mean zookeeper.client.secure\?\): refusing to connect without TLS/,
      ],
      [{ 'zookeeper.client.secured': 'true' }, /zookeeper.client.secured is not a property/],
      [
        { 'zookeeper.client.secure': 'true', 'zookeeper.ssl.keyStore.location': '/nonexist' },
        /key store \/nonexist does not exist\n$/,
      ],
    ];
    for (const [c, re] of bad) {
      const r = await run(write('bad.properties', { ...base(), ...c }));
      assert.equal(r.code, 2, JSON.stringify(c));
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
      assert.match(r.stderr, re);
      assert.doesNotMatch(r.stderr, new RegExp(env.cluster.pki!.password));
    }
    const r = await run(
      write('typo.properties', {
        ...base(),
        'zookeeper.client.secure': 'true',
        'zookeeper.ssl.truststore.location': '/nowhere',
        'zookeeper.client.timeout': '5',
      }),
    );
    assert.equal(r.code, 0, r.stderr);
    assert.match(
      r.stderr,
      /^zk-shell: .*typo.properties: unknown property zookeeper.ssl.truststore.location ignored \(names are case-sensitive: did you mean zookeeper.ssl.trustStore.location\?\)\n/,
    );
    assert.match(
      r.stderr,
      /\nzk-shell: .*typo.properties: unknown client property zookeeper.client.timeout ignored\n$/,
    );
  });

  it('hostname verification: on by default, off with hostnameVerification=FALSE (through a TLS proxy with the wrong name)', async () => {
    const pki = env.cluster.pki!;
    const zkPort = Number(env.cluster.connectString.split(':').pop());
    // Presents the client certificate (DNS:zk-shell-client, signed by the same CA) and forwards to the plain port.
    const proxy = tls.createServer(
      { key: fs.readFileSync(pki.clientKey), cert: fs.readFileSync(pki.clientPem) },
      (s) => {
        const up = net.connect(zkPort, '127.0.0.1');
        s.pipe(up).pipe(s);
        s.on('error', () => up.destroy());
        up.on('error', () => s.destroy());
      },
    );
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
    const server = `127.0.0.1:${(proxy.address() as net.AddressInfo).port}`;
    try {
      const props = { 'zookeeper.client.secure': 'true', 'zookeeper.ssl.trustStore.location': pki.caPem };
      const on = await run(write('verify.properties', props), server, 'ls', '/zookeeper');
      assert.equal(on.code, 3, on.stderr);
      assert.match(on.stderr, /IP: 127\.0\.0\.1 is not in the cert's list|does not match|altnames/i);
      const off = await run(
        write('noverify.properties', { ...props, 'zookeeper.ssl.hostnameVerification': 'FALSE' }),
        server,
        'ls',
        '/zookeeper',
      );
      assert.equal(off.code, 0, off.stderr);
      assert.match(off.stdout, /config/);
    } finally {
      proxy.close();
    }
  });
});
