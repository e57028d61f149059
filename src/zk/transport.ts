import net from 'node:net';
import type tls from 'node:tls';
import { builtin } from './builtin.js';
import type { HostPort } from './host-provider.js';

/** TLS is a transport option: these are handed to tls.connect as they are. */
export type TlsOptions = tls.ConnectionOptions;

/** Opens the byte stream to one server; tests may inject their own. */
export type TransportFactory = (hp: HostPort, tlsOptions: TlsOptions | undefined) => net.Socket;

// node:tls costs ~8 ms to load: only plain-TCP users never pay it.
export const loadTls = builtin<typeof tls>('node:tls');

export const defaultTransport: TransportFactory = (hp, tlsOptions) => {
  if (tlsOptions) {
    const tls = loadTls();
    const servername = net.isIP(hp.host) ? undefined : hp.host;
    return tls.connect({ ...tlsOptions, host: hp.host, port: hp.port, ...(servername ? { servername } : {}) });
  }
  const s = net.connect({ host: hp.host, port: hp.port });
  s.setNoDelay(true);
  return s;
};
