import { Connection, type ConnectResult } from './connection.js';
import { formatHostPort, type HostPort } from './host-provider.js';
import type { Infer } from './jute/schema.js';
import type * as R from './jute/records.js';
import type { SaslAuthenticator } from './sasl/exchange.js';
import { defaultTransport, type TlsOptions, type TransportFactory } from './transport.js';

export interface DialOptions {
  transport: TransportFactory | undefined;
  tls: TlsOptions | undefined;
  nextXid: () => number;
  limits: { maxReply: number; maxRequest: number };
  /** The whole attempt (socket, handshake, SASL) must finish within this. */
  timeoutMs: number;
  request: Infer<typeof R.ConnectRequest>;
  sasl: SaslAuthenticator | undefined;
  /** Told the connection as soon as it exists, so close() can abandon the attempt. */
  onAttempt: (conn: Connection | null) => void;
  /** The server's answer, before SASL: the session records it (and throws if it expired). */
  onHandshake: (res: ConnectResult, conn: Connection) => void;
}

/**
 * One connection attempt: opens the socket, handshakes and runs SASL, all within the timeout. Any
 * failure (including one thrown by onHandshake) destroys the connection and throws.
 */
export async function dial(host: HostPort, o: DialOptions): Promise<Connection> {
  const socket = (o.transport ?? defaultTransport)(host, o.tls);
  const conn = new Connection(socket, o.nextXid, o.limits, formatHostPort(host));
  o.onAttempt(conn);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`timed out connecting to ${formatHostPort(host)} after ${o.timeoutMs} ms`)),
      o.timeoutMs,
    );
  });
  const onCloseEarly = new Promise<never>((_, reject) =>
    conn.once('close', (e) => reject(e ?? new Error('connection closed'))),
  );
  try {
    await Promise.race([conn.waitOpen(), timeout, onCloseEarly]);
    const res = await Promise.race([conn.handshake(o.request), timeout, onCloseEarly]);
    o.onHandshake(res, conn);
    if (o.sasl) await Promise.race([o.sasl.authenticate(conn, host), timeout, onCloseEarly]);
    return conn;
  } catch (e) {
    conn.destroy();
    throw e;
  } finally {
    o.onAttempt(null);
    clearTimeout(timer);
    onCloseEarly.catch(() => undefined);
    timeout.catch(() => undefined);
  }
}
