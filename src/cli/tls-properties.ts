// zkCli's client TLS properties (ZKClientConfig, X509Util, ClientX509Util) → Node TLS options.
// A setting that asks for security we cannot give is an error: never a silent plaintext fallback.
import type childProcess from 'node:child_process';
import fs from 'node:fs';
import { builtin } from '../zk/builtin.js';
import type { TlsOptions } from '../zk/transport.js';
import { loadTls } from '../zk/transport.js';
import { checkClientKeys, CLIENT_SSL_KEYS, CNXN_SOCKET, SECURE, SSL } from './client-keys.js';
import { ClientConfigError, javaBoolean } from './java-properties.js';

const read = (file: string, what: string): Buffer => {
  try {
    return fs.readFileSync(file);
  } catch (e) {
    throw new ClientConfigError(
      `cannot read ${what} ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
    );
  }
};

/** KeyStoreFileType.fromPropertyValueOrFileName: the .type property (any case), else the file extension. */
function storeType(props: Readonly<Record<string, string>>, prefix: string, location: string): string {
  const t = props[`${prefix}.type`];
  if (t) {
    const u = t.toUpperCase();
    if (!['PEM', 'PKCS12', 'JKS', 'BCFKS'].includes(u))
      throw new ClientConfigError(`${prefix}.type must be PEM, PKCS12, JKS or BCFKS, got ${JSON.stringify(t)}`);
    return u;
  }
  const ext = /\.[^./]*$/.exec(location)?.[0];
  const byExt: Record<string, string> = { '.pem': 'PEM', '.p12': 'PKCS12', '.jks': 'JKS', '.bcfks': 'BCFKS' };
  const type = ext ? byExt[ext] : undefined;
  if (!type)
    throw new ClientConfigError(
      `cannot tell the type of ${location} from its name: set ${prefix}.type (PEM or PKCS12)`,
    );
  return type;
}

/** X509Util: the passwordPath file wins over the password; the file loses one trailing line break. */
function password(props: Readonly<Record<string, string>>, prefix: string): string | undefined {
  const file = props[`${prefix}.passwordPath`];
  if (file)
    return read(file, `${prefix}.passwordPath`)
      .toString('utf8')
      .replace(/\r?\n$/, '');
  return props[`${prefix}.password`];
}

type Version = 'TLSv1.2' | 'TLSv1.3';
const VERSIONS: readonly Version[] = ['TLSv1.2', 'TLSv1.3'];

/**
 * zookeeper.ssl.protocol picks the context (TLSv1.3 also allows 1.2, as in Java; "TLS" allows both);
 * zookeeper.ssl.enabledProtocols, when set, is the exact list. Unset: Node's defaults (1.2 and 1.3).
 */
function protocolRange(props: Readonly<Record<string, string>>): Version[] | null {
  const protocol = props[`${SSL}protocol`];
  let allowed: Version[] | null = null;
  if (protocol) {
    if (protocol === 'TLS') allowed = [...VERSIONS];
    else if (protocol === 'TLSv1.3') allowed = ['TLSv1.2', 'TLSv1.3'];
    else if (protocol === 'TLSv1.2') allowed = ['TLSv1.2'];
    else throw new ClientConfigError(`${SSL}protocol ${protocol} is not supported: use TLSv1.2 or TLSv1.3`);
  }
  const enabled = props[`${SSL}enabledProtocols`]
    ?.split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  if (!enabled?.length) return allowed;
  for (const p of enabled) {
    if (!VERSIONS.includes(p as Version))
      throw new ClientConfigError(`${SSL}enabledProtocols: ${p} is not supported: use TLSv1.2 or TLSv1.3`);
    if (allowed && !allowed.includes(p as Version))
      throw new ClientConfigError(`${SSL}enabledProtocols: ${p} cannot be used with ${SSL}protocol ${protocol}`);
  }
  return enabled as Version[];
}

/** Each suite must be one this Node/OpenSSL knows (Java refuses unknown names too); IANA or OpenSSL names. */
function cipherList(value: string): { ciphers: string; tls12: boolean; tls13: boolean } {
  const known = new Set(loadTls().getCiphers());
  const names = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const mapped = names.map((n) => {
    const o = ianaToOpenssl(n);
    if (!known.has(o.toLowerCase())) throw new ClientConfigError(`${SSL}ciphersuites: unsupported cipher suite ${n}`);
    return o;
  });
  const tls13 = mapped.some((m) => m.startsWith('TLS_'));
  return { ciphers: mapped.join(':'), tls13, tls12: mapped.some((m) => !m.startsWith('TLS_')) };
}

/** Said before anything about the file's type or contents. */
function mustExist(file: string, what: string): void {
  if (!fs.existsSync(file)) throw new ClientConfigError(`${what} ${file} does not exist`);
}

/**
 * Opens the key now, so a wrong password is one clear line (exit 2) like a trust store's, not
 * OpenSSL's text at connect time. OpenSSL's reason is not shown: it says nothing more useful.
 */
function checkKey(tls: TlsOptions, ks: string, type: string): void {
  try {
    loadTls().createSecureContext(tls);
  } catch {
    throw new ClientConfigError(
      type === 'PKCS12'
        ? `cannot read key store ${ks} (wrong password or not PKCS12)`
        : `cannot use the key in key store ${ks} (wrong password, or the key does not match the certificate)`,
    );
  }
}

function keyStore(tls: TlsOptions, props: Readonly<Record<string, string>>, ks: string): void {
  const prefix = `${SSL}keyStore`;
  mustExist(ks, 'key store');
  const type = storeType(props, prefix, ks);
  const pass = password(props, prefix);
  if (type === 'PKCS12') {
    tls.pfx = read(ks, 'key store');
    if (pass !== undefined) tls.passphrase = pass;
  } else if (type === 'PEM') {
    // One file holding the private key and the certificate chain.
    const text = read(ks, 'key store').toString('utf8');
    const key = /-----BEGIN (?:[A-Z ]+ )?PRIVATE KEY-----[\s\S]+?-----END (?:[A-Z ]+ )?PRIVATE KEY-----/.exec(
      text,
    )?.[0];
    const certs = text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g);
    if (!key || !certs) throw new ClientConfigError(`key store ${ks} must hold a private key and a certificate (PEM)`);
    tls.key = key;
    tls.cert = certs.join('\n');
    if (pass !== undefined) tls.passphrase = pass;
  } else {
    throw new ClientConfigError(
      `key store ${ks}: type ${type} cannot be read here; convert it to PKCS12 or PEM (keytool -importkeystore -deststoretype PKCS12)`,
    );
  }
  checkKey(tls, ks, type);
}

function trustStore(tls: TlsOptions, props: Readonly<Record<string, string>>, ts: string): void {
  const prefix = `${SSL}trustStore`;
  mustExist(ts, 'trust store');
  const type = storeType(props, prefix, ts);
  if (type === 'PEM') tls.ca = read(ts, 'trust store');
  else if (type === 'PKCS12') tls.ca = pkcs12Certificates(ts, password(props, prefix) ?? '');
  else throw new ClientConfigError(`trust store ${ts}: type ${type} cannot be read here; use PEM or PKCS12`);
}

/**
 * Turns zkCli's client properties into Node TLS options (undefined when TLS is off). `warn` gets
 * one line per setting that is ignored.
 */
export function tlsFromProperties(
  props: Readonly<Record<string, string>>,
  warn: (line: string) => void = () => undefined,
): TlsOptions | undefined {
  for (const w of checkClientKeys(props)) warn(w);
  const secure = javaBoolean(props, SECURE, false);
  const socket = props[CNXN_SOCKET];
  if (socket) {
    const name = socket.replace(/^org\.apache\.zookeeper\./, '');
    if (name !== 'ClientCnxnSocketNetty' && name !== 'ClientCnxnSocketNIO')
      throw new ClientConfigError(`${CNXN_SOCKET}: unknown socket class ${socket}`);
    // zkCli's NIO socket ignores zookeeper.client.secure and talks plaintext: refuse rather than do the same.
    if (secure && name === 'ClientCnxnSocketNIO')
      throw new ClientConfigError(
        `${SECURE}=true needs ${CNXN_SOCKET}=ClientCnxnSocketNetty (the NIO socket cannot do TLS)`,
      );
  }
  for (const k of ['hostnameVerification', 'crl', 'ocsp', 'allowReverseDnsLookup', 'clientHostnameVerification'])
    javaBoolean(props, SSL + k, false);
  javaBoolean(props, 'zookeeper.fips-mode', true);
  if (!secure) {
    const set = CLIENT_SSL_KEYS.filter((k) => props[SSL + k]).map((k) => SSL + k);
    if (set.length)
      warn(
        `${set[0]}${set.length > 1 ? ` and ${set.length - 1} more TLS settings` : ''} ignored: ${SECURE} is not true, so the connection is not encrypted`,
      );
    return undefined;
  }
  // Checks zk-shell cannot perform: refusing is the only honest answer.
  if (javaBoolean(props, `${SSL}crl`, false))
    throw new ClientConfigError(
      `${SSL}crl=true: certificate revocation lists are not supported; remove it or set it to false`,
    );
  if (javaBoolean(props, `${SSL}ocsp`, false))
    throw new ClientConfigError(`${SSL}ocsp=true: OCSP checks are not supported; remove it or set it to false`);
  if (props[`${SSL}context.supplier.class`])
    throw new ClientConfigError(
      `${SSL}context.supplier.class: a Java SSLContext supplier cannot be used here; give key and trust stores instead`,
    );

  const tls: TlsOptions = { rejectUnauthorized: true };
  const ks = props[`${SSL}keyStore.location`];
  if (ks) keyStore(tls, props, ks);
  const ts = props[`${SSL}trustStore.location`];
  if (ts) trustStore(tls, props, ts);
  if (!javaBoolean(props, `${SSL}hostnameVerification`, true)) tls.checkServerIdentity = () => undefined;
  let versions = protocolRange(props);
  const suites = props[`${SSL}ciphersuites`];
  if (suites) {
    const c = cipherList(suites);
    tls.ciphers = c.ciphers;
    // Only the listed suites: a version none of them belongs to is off (Java enables suites, not versions).
    versions = (versions ?? [...VERSIONS]).filter((v) => (v === 'TLSv1.3' ? c.tls13 : c.tls12));
    if (versions.length === 0)
      throw new ClientConfigError(
        `${SSL}ciphersuites: none of the listed suites can be used with the enabled protocols`,
      );
  }
  if (versions) {
    tls.minVersion = versions.includes('TLSv1.2') ? 'TLSv1.2' : 'TLSv1.3';
    tls.maxVersion = versions.includes('TLSv1.3') ? 'TLSv1.3' : 'TLSv1.2';
  }
  return tls;
}

/**
 * The CA certificates of a PKCS#12 trust store (Node reads PKCS#12 only with a private key), via
 * openssl; the password travels in the environment, never on a command line.
 */
function pkcs12Certificates(file: string, pass: string): string {
  read(file, 'trust store');
  const { spawnSync } = builtin<typeof childProcess>('node:child_process')();
  const r = spawnSync('openssl', ['pkcs12', '-in', file, '-nokeys', '-passin', 'env:ZK_SHELL_STORE_PASS'], {
    env: { ...process.env, ZK_SHELL_STORE_PASS: pass },
    encoding: 'utf8',
  });
  if (r.error)
    throw new ClientConfigError(`trust store ${file} is PKCS12, which needs openssl to read: ${r.error.message}`);
  const certs = r.stdout.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g);
  if (r.status !== 0 || !certs)
    throw new ClientConfigError(`cannot read trust store ${file} (wrong password or not PKCS12)`);
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
