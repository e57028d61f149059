import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { useCluster } from '../helpers/cluster.js';
import { runCli } from '../helpers/run-cli.js';

const env = useCluster(1, { tls: true });

describe('-client-configuration (zkCli TLS properties) against a TLS server', () => {
  const write = (name: string, props: Record<string, string>): string => {
    const file = path.join(env.cluster.pki!.dir, name);
    fs.writeFileSync(file, Object.entries(props).map(([k, v]) => `${k}=${v}`).join('\n'));
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
    const r = await runCli(['-server', env.cluster.secureConnectString, '-client-configuration', cfg, '-c', 'create /tls-e2e x', '-c', 'whoami']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /x509: CN=client/);
  });

  it('PKCS12 key store and PEM trust store; a wrong password fails in one line without showing it', async () => {
    const pki = env.cluster.pki!;
    const good = write('p12.properties', {
      'zookeeper.client.secure': 'true',
      'zookeeper.ssl.keyStore.location': pki.clientP12, 'zookeeper.ssl.keyStore.password': pki.password,
      'zookeeper.ssl.trustStore.location': pki.caPem,
    });
    const r = await runCli(['-server', env.cluster.secureConnectString, '-client-configuration', good, 'ls', '/']);
    assert.equal(r.code, 0, r.stderr);
    const bad = write('bad.properties', {
      'zookeeper.client.secure': 'true',
      'zookeeper.ssl.keyStore.location': pki.clientP12, 'zookeeper.ssl.keyStore.password': 'wrong-secret-123',
      'zookeeper.ssl.trustStore.location': pki.caPem,
    });
    const b = await runCli(['-server', env.cluster.secureConnectString, '-client-configuration', bad, 'ls', '/']);
    assert.notEqual(b.code, 0);
    assert.equal(b.stderr.trim().split('\n').length, 1, b.stderr);
    assert.doesNotMatch(b.stderr, /wrong-secret-123/);
  });
});
