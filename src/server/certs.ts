import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/** Test PKI written to a directory: a CA, a server and a client certificate, as PEM and PKCS#12. */
export interface TestPki {
  dir: string;
  password: string;
  caPem: string;
  serverP12: string;
  trustP12: string;
  clientPem: string;
  clientKey: string;
  clientP12: string;
  /** A CA that signed nothing here: trusting only it must fail. */
  otherCaPem: string;
}

const openssl = (dir: string, args: string[]): void => {
  execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
};

function makeCa(dir: string, name: string): void {
  openssl(dir, [
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    `${name}.key`,
    '-out',
    `${name}.pem`,
    '-days',
    '2',
    '-subj',
    `/CN=${name}`,
  ]);
}

function makeLeaf(dir: string, name: string, ca: string, san: string): void {
  openssl(dir, [
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    `${name}.key`,
    '-out',
    `${name}.csr`,
    '-subj',
    `/CN=${name}`,
  ]);
  fs.writeFileSync(path.join(dir, `${name}.ext`), `subjectAltName=${san}\n`);
  openssl(dir, [
    'x509',
    '-req',
    '-in',
    `${name}.csr`,
    '-CA',
    `${ca}.pem`,
    '-CAkey',
    `${ca}.key`,
    '-CAcreateserial',
    '-out',
    `${name}.pem`,
    '-days',
    '2',
    '-extfile',
    `${name}.ext`,
  ]);
}

/** Generates the PKI with openssl (and keytool for the Java trust store). */
export function generateTestPki(dir: string, password = 'zk-shell-test'): TestPki {
  fs.mkdirSync(dir, { recursive: true });
  makeCa(dir, 'ca');
  makeCa(dir, 'other-ca');
  makeLeaf(dir, 'server', 'ca', 'IP:127.0.0.1,IP:::1,DNS:localhost');
  makeLeaf(dir, 'client', 'ca', 'DNS:zk-shell-client');
  for (const n of ['server', 'client']) {
    openssl(dir, [
      'pkcs12',
      '-export',
      '-in',
      `${n}.pem`,
      '-inkey',
      `${n}.key`,
      '-out',
      `${n}.p12`,
      '-passout',
      `pass:${password}`,
    ]);
  }
  execFileSync(
    'keytool',
    [
      '-importcert',
      '-noprompt',
      '-alias',
      'ca',
      '-file',
      'ca.pem',
      '-keystore',
      'trust.p12',
      '-storetype',
      'PKCS12',
      '-storepass',
      password,
    ],
    { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  const p = (f: string): string => path.join(dir, f);
  return {
    dir,
    password,
    caPem: p('ca.pem'),
    serverP12: p('server.p12'),
    trustP12: p('trust.p12'),
    clientPem: p('client.pem'),
    clientKey: p('client.key'),
    clientP12: p('client.p12'),
    otherCaPem: p('other-ca.pem'),
  };
}
