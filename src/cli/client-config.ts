import type childProcess from 'node:child_process';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import type { TlsOptions } from '../zk/transport.js';

/** A -client-configuration file that cannot be used; the message names the file and the key, never a password. */
export class ClientConfigError extends Error {
  override name = 'ClientConfigError';
}

/** Java .properties: key=value or key: value, # and ! comments, backslash line continuations. */
export function parseProperties(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.replace(/\\\r?\n\s*/g, '').split(/\r?\n/);
  for (const raw of lines) {
    const line = raw.trim();
    if (!line || line.startsWith('#') || line.startsWith('!')) continue;
    const m = /^([^=:\s]+)\s*[=:\s]\s*(.*)$/.exec(line);
    if (m) out[m[1]!] = m[2]!;
    else out[line] = '';
  }
  return out;
}

const read = (file: string, what: string): Buffer => {
  try {
    return fs.readFileSync(file);
  } catch (e) {
    throw new ClientConfigError(`cannot read ${what} ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
};

function storeType(props: Record<string, string>, prefix: string, location: string): string {
  const t = props[`${prefix}.type`]?.toUpperCase();
  if (t) return t;
  if (/\.(pem|crt|cer)$/i.test(location)) return 'PEM';
  if (/\.(p12|pfx)$/i.test(location)) return 'PKCS12';
  if (/\.jks$/i.test(location)) return 'JKS';
  if (/\.bcfks$/i.test(location)) return 'BCFKS';
  return 'PEM';
}

function password(props: Record<string, string>, prefix: string): string | undefined {
  const p = props[`${prefix}.password`];
  if (p !== undefined) return p;
  const file = props[`${prefix}.passwordPath`];
  return file !== undefined ? read(file, `${prefix}.passwordPath`).toString('utf8').trim() : undefined;
}

/** Turns zkCli's client properties into Node TLS options (undefined when TLS is not enabled). */
export function tlsFromProperties(props: Record<string, string>): TlsOptions | undefined {
  if (props['zookeeper.client.secure'] !== 'true') return undefined;
  const tls: TlsOptions = { rejectUnauthorized: true };
  const ks = props['zookeeper.ssl.keyStore.location'];
  if (ks) {
    const type = storeType(props, 'zookeeper.ssl.keyStore', ks);
    const pass = password(props, 'zookeeper.ssl.keyStore');
    if (type === 'PKCS12') {
      tls.pfx = read(ks, 'key store');
      if (pass !== undefined) tls.passphrase = pass;
    } else if (type === 'PEM') {
      // One file holding the private key and the certificate chain.
      const text = read(ks, 'key store').toString('utf8');
      const key = /-----BEGIN (?:[A-Z ]+ )?PRIVATE KEY-----[\s\S]+?-----END (?:[A-Z ]+ )?PRIVATE KEY-----/.exec(text)?.[0];
      const certs = text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g);
      if (!key || !certs) throw new ClientConfigError(`key store ${ks} must hold a private key and a certificate (PEM)`);
      tls.key = key;
      tls.cert = certs.join('\n');
      if (pass !== undefined) tls.passphrase = pass;
    } else {
      throw new ClientConfigError(`key store ${ks}: type ${type} cannot be read here; convert it to PKCS12 or PEM (keytool -importkeystore -deststoretype PKCS12)`);
    }
  }
  const ts = props['zookeeper.ssl.trustStore.location'];
  if (ts) {
    const type = storeType(props, 'zookeeper.ssl.trustStore', ts);
    if (type === 'PEM') tls.ca = read(ts, 'trust store');
    else if (type === 'PKCS12') tls.ca = pkcs12Certificates(ts, password(props, 'zookeeper.ssl.trustStore') ?? '');
    else throw new ClientConfigError(`trust store ${ts}: type ${type} cannot be read here; use a PEM file of CA certificates`);
  }
  if (props['zookeeper.ssl.hostnameVerification'] === 'false') tls.checkServerIdentity = () => undefined;
  const protocols = (props['zookeeper.ssl.enabledProtocols'] ?? props['zookeeper.ssl.protocol'])?.split(',').map((p) => p.trim()).filter(Boolean);
  if (protocols?.length) {
    const valid = protocols.filter((p): p is 'TLSv1.2' | 'TLSv1.3' => p === 'TLSv1.2' || p === 'TLSv1.3');
    if (valid.length !== protocols.length) throw new ClientConfigError(`unsupported TLS protocol in ${protocols.join(',')}: use TLSv1.2 or TLSv1.3`);
    tls.minVersion = valid.includes('TLSv1.2') ? 'TLSv1.2' : 'TLSv1.3';
    tls.maxVersion = valid.includes('TLSv1.3') ? 'TLSv1.3' : 'TLSv1.2';
  }
  const suites = props['zookeeper.ssl.ciphersuites'];
  if (suites) tls.ciphers = suites.split(',').map((s) => ianaToOpenssl(s.trim())).join(':');
  return tls;
}

/**
 * The CA certificates of a PKCS#12 trust store (Node reads PKCS#12 only with a private key), via
 * openssl; the password travels in the environment, never on a command line.
 */
function pkcs12Certificates(file: string, pass: string): string {
  read(file, 'trust store');
  const { spawnSync } = createRequire(import.meta.url)('node:child_process') as typeof childProcess;
  const r = spawnSync('openssl', ['pkcs12', '-in', file, '-nokeys', '-passin', 'env:ZK_SHELL_STORE_PASS'], {
    env: { ...process.env, ZK_SHELL_STORE_PASS: pass }, encoding: 'utf8',
  });
  if (r.error) throw new ClientConfigError(`trust store ${file} is PKCS12, which needs openssl to read: ${r.error.message}`);
  const certs = r.stdout.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g);
  if (r.status !== 0 || !certs) throw new ClientConfigError(`cannot read trust store ${file} (wrong password or not PKCS12)`);
  return certs.join('\n');
}

/** TLS 1.2 IANA suite names → OpenSSL names (TLS 1.3 names are the same in both). */
export function ianaToOpenssl(name: string): string {
  if (name.startsWith('TLS_AES_') || name.startsWith('TLS_CHACHA20_')) return name;
  const m = /^TLS_(ECDHE|DHE)_(RSA|ECDSA)_WITH_(AES_\d+|CHACHA20_POLY1305)(?:_(GCM|CBC))?(?:_(SHA\d*))?$/.exec(name);
  if (!m) return name;
  const [, kx, auth, cipher, mode, mac] = m;
  const kxName = kx === 'DHE' ? 'DHE' : 'ECDHE';
  const prefix = auth === 'ECDSA' ? `${kxName}-ECDSA` : `${kxName}-RSA`;
  if (cipher === 'CHACHA20_POLY1305') return `${prefix}-CHACHA20-POLY1305`;
  const aes = cipher!.replace('_', '');
  if (mode === 'GCM') return `${prefix}-${aes}-GCM-${mac}`;
  return `${prefix}-${aes}-${mac === 'SHA' ? 'SHA' : mac}`;
}

/** Loads a -client-configuration file. */
export function loadClientConfig(file: string): TlsOptions | undefined {
  if (!fs.existsSync(file)) throw new ClientConfigError(`client configuration file not found: ${file}`);
  return tlsFromProperties(parseProperties(read(file, 'client configuration').toString('utf8')));
}
