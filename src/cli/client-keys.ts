// Which -client-configuration keys zkCli's client reads, and what to say about the others. Java ignores
// an unknown key without a word, so `zookeper.client.secure=true` would connect in plaintext.
import { distance } from 'fastest-levenshtein';
import { ClientConfigError } from './java-properties.js';

export const SSL = 'zookeeper.ssl.';
export const SECURE = 'zookeeper.client.secure';
export const CNXN_SOCKET = 'zookeeper.clientCnxnSocket';

/** zookeeper.ssl.* keys the client reads (X509Util with the client prefix). */
export const CLIENT_SSL_KEYS = [
  'protocol',
  'enabledProtocols',
  'ciphersuites',
  'hostnameVerification',
  'crl',
  'ocsp',
  'allowReverseDnsLookup',
  'keyStore.location',
  'keyStore.password',
  'keyStore.passwordPath',
  'keyStore.type',
  'trustStore.location',
  'trustStore.password',
  'trustStore.passwordPath',
  'trustStore.type',
  'context.supplier.class',
];
/** zookeeper.ssl.* keys with meaning only for a server (zkCli ignores them too). */
const SERVER_SSL_KEYS = [
  'clientAuth',
  'clientHostnameVerification',
  'handshakeDetectionTimeoutMillis',
  'authProvider',
  'sslProvider',
];
/** The other keys ZKClientConfig / ZKConfig read for a client (ZooKeeper 3.9). */
const CLIENT_KEYS = [
  SECURE,
  CNXN_SOCKET,
  'zookeeper.fips-mode',
  'zookeeper.kinit',
  'zookeeper.sasl.client',
  'zookeeper.sasl.clientconfig',
  'zookeeper.sasl.client.username',
  'zookeeper.sasl.client.canonicalize.hostname',
  'zookeeper.sasl.client.allowReverseDnsLookup',
  'zookeeper.server.principal',
  'zookeeper.server.realm',
  'zookeeper.disableAutoWatchReset',
  'zookeeper.request.timeout',
  'zookeeper.shuffleDnsResponse',
  'zookeeper.hostProvider.dnsSrvRefreshIntervalSeconds',
];
/** Server keys under zookeeper.client. (a file shared with a server may hold them). */
const SERVER_CLIENT_PREFIX_KEYS = ['zookeeper.client.portUnification', 'zookeeper.client.certReload'];

const CLIENT = [...CLIENT_SSL_KEYS.map((k) => SSL + k), ...CLIENT_KEYS];
const KNOWN = new Set([...CLIENT, ...SERVER_SSL_KEYS.map((k) => SSL + k), ...SERVER_CLIENT_PREFIX_KEYS]);

/** The client key `key` was probably meant to be: the same but for case, or at most two edits away. */
export function nearMiss(key: string): string | undefined {
  const lower = key.toLowerCase();
  let best: string | undefined;
  let bestD = 3;
  for (const k of CLIENT) {
    const d = distance(lower, k.toLowerCase());
    if (d < bestD) [best, bestD] = [k, d];
  }
  return best;
}

const isFalse = (v: string): boolean => v.trim().toLowerCase() === 'false';

/**
 * One warning per key zkCli would silently ignore that looks meant for the client: a near-miss of a
 * client key, or any unknown zookeeper.ssl.* or zookeeper.client.* key. A near-miss of
 * zookeeper.client.secure is an error when that key is absent: the user asked for TLS.
 */
export function checkClientKeys(props: Readonly<Record<string, string>>): string[] {
  const out: string[] = [];
  for (const [key, value] of Object.entries(props)) {
    if (KNOWN.has(key) || key.startsWith(`${SSL}quorum.`)) continue;
    const near = nearMiss(key);
    if (near === SECURE && props[SECURE] === undefined && !isFalse(value)) {
      throw new ClientConfigError(
        `${key} is not a property (did you mean ${SECURE}?): refusing to connect without TLS`,
      );
    }
    if (near) {
      const why = near.toLowerCase() === key.toLowerCase() ? 'names are case-sensitive: ' : '';
      out.push(`unknown property ${key} ignored (${why}did you mean ${near}?)`);
    } else if (key.startsWith(SSL)) out.push(`unknown TLS property ${key} ignored`);
    else if (key.startsWith('zookeeper.client.')) out.push(`unknown client property ${key} ignored`);
  }
  return out;
}
