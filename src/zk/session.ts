// Long on purpose (~450 lines): one state machine (host loop, handshake results, reconnect, expiry,
// close) whose transitions must be read together. Auth replay (auth-book.ts), dialing (dial.ts) and
// SetWatches encoding (watches.ts) live elsewhere.
import { EventEmitter } from 'node:events';
import { Connection, type FailReason, type Packet, type PacketFailure } from './connection.js';
import { AuthFailedError, ConnectionLossError, InvalidArgumentError, SessionExpiredError } from './errors.js';
import { HostProvider, parseConnectString, type HostPort } from './host-provider.js';
import { Chroot } from './path.js';
import { KeeperState, Op, Xid } from './protocol.js';
import { SaslError, type SaslAuthenticator } from './sasl/exchange.js';
import type { TlsOptions, TransportFactory } from './transport.js';
import { dial } from './dial.js';
import { setWatchesPackets, WatchRegistry, type WatchedEvent, type Watcher } from './watches.js';
import { AuthBook } from './auth-book.js';

/** Client states, named as zkCli shows them in its prompt. */
export type SessionState =
  'NOT_CONNECTED' | 'CONNECTING' | 'CONNECTED' | 'CONNECTEDREADONLY' | 'CLOSED' | 'AUTH_FAILED';

export interface SessionOptions {
  /** "host:port[,host:port…][/chroot]". */
  connectString: string;
  /** Requested session timeout in ms (the server clamps it to 2..20 ticks). Default 30000. */
  sessionTimeout?: number;
  /** Accept a read-only server (zkCli -r). */
  canBeReadOnly?: boolean;
  /** Connect with TLS using these options. */
  tls?: TlsOptions;
  /** The default watcher: receives every session state event and the watches set with `true`. */
  watcher?: Watcher;
  /**
   * Largest reply accepted from the server (the client's jute.maxbuffer). A larger reply fails only its
   * own request, naming both sizes. Default DEFAULT_MAX_REPLY: the server sends what it has, so the
   * client's limit is only a guard against a runaway allocation.
   */
  maxReply?: number;
  /** Largest request the server accepts (its jute.maxbuffer); larger ones are refused before sending. */
  maxRequest?: number;
  /** Opens sockets; tests inject their own. */
  transport?: TransportFactory;
  /** Shuffle the host list once (default true, as the Java client does). */
  shuffleHosts?: boolean;
  /** Delay before a connection attempt: Java waits 0–999 ms, plus 1 s after every host has failed. */
  retryDelay?: (wrapped: boolean) => number;
  /** SASL, run on every connection after the handshake and before anything else is sent. */
  sasl?: SaslAuthenticator;
}

export interface SessionEvents {
  state: [state: SessionState];
  /** Every session event (type None) as it is delivered to watchers. */
  event: [event: WatchedEvent];
  /** A connection attempt failed; `failures` counts them since the last success. */
  attemptFailed: [error: Error, failures: number];
}

/** The server's default jute.maxbuffer (requests above it make the server drop the connection). */
export const SERVER_MAX_BUFFER = 0xfffff;
/** The client's default reply limit: big enough for a 60,000-child listing with long names. */
export const DEFAULT_MAX_REPLY = 64 * 1024 * 1024;

const defaultRetryDelay = (wrapped: boolean): number => Math.floor(Math.random() * 1000) + (wrapped ? 1000 : 0);

/**
 * A ZooKeeper session over a sequence of connections: it picks hosts, handshakes, replays auth and
 * watches after a reconnect, keeps requests issued while disconnected until the next attempt, and ends
 * on close, expiry or auth failure. The API methods live in client.ts.
 */
export class Session extends EventEmitter<SessionEvents> {
  state: SessionState = 'NOT_CONNECTED';
  sessionId = 0n;
  passwd: Buffer = Buffer.alloc(16);
  /** zxid of the most recent normal reply (sent on reconnect and with SetWatches). */
  lastZxid = 0n;
  negotiatedTimeout = 0;
  readonly requestedTimeout: number;
  readonly chroot: Chroot;
  readonly connectString: string;
  readonly watches = new WatchRegistry();
  /** The server the session is (or was last) connected to. */
  currentHost: HostPort | null = null;
  /** Why the last connection attempt or connection ended. */
  lastError: Error | null = null;

  private readonly hosts: HostProvider;
  private conn: Connection | null = null;
  private queue: Packet[] = [];
  private readonly auth = new AuthBook();
  /** Wakes the reconnect back-off sleep (close must not wait it out). */
  private wake: (() => void) | null = null;
  /** The connection being opened, so close() can abandon the attempt. */
  private attempt: Connection | null = null;
  private readOnlyConnection = false;
  /** Connection attempts failed since the last success. */
  private failures = 0;
  private xid = 0;
  private closing = false;
  private expired = false;
  private seenRwServer = false;
  private lastHeard = Date.now();
  private lastDeliveredState: number | null = null;
  private closePromise: Promise<void> | null = null;
  private loop: Promise<void> | null = null;

  constructor(readonly options: SessionOptions) {
    super();
    const cs = parseConnectString(options.connectString);
    this.connectString = options.connectString;
    this.chroot = new Chroot(cs.chroot);
    this.hosts = new HostProvider(cs.hosts, options.shuffleHosts ?? true);
    this.requestedTimeout = options.sessionTimeout ?? 30000;
    if (!(this.requestedTimeout > 0))
      throw new InvalidArgumentError(`invalid session timeout: ${options.sessionTimeout}`);
  }

  /** Starts connecting in the background; idempotent. */
  start(): void {
    if (!this.loop) this.loop = this.run();
  }

  get isConnected(): boolean {
    return this.state === 'CONNECTED' || this.state === 'CONNECTEDREADONLY';
  }

  get isAlive(): boolean {
    return this.state !== 'CLOSED' && this.state !== 'AUTH_FAILED';
  }

  /**
   * Resolves once connected; rejects if the session ends, `timeoutMs` passes, or (with maxFailures)
   * that many connection attempts in a row have failed.
   */
  waitConnected(timeoutMs: number, maxFailures = Infinity): Promise<void> {
    if (this.isConnected) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const done = (err?: Error): void => {
        clearTimeout(timer);
        this.off('state', onState);
        this.off('attemptFailed', onFail);
        if (err) reject(err);
        else resolve();
      };
      const onFail = (e: Error, failures: number): void => {
        if (failures >= maxFailures) done(new Error(`could not connect to ${this.connectString}: ${e.message}`));
      };
      this.on('attemptFailed', onFail);
      const onState = (s: SessionState): void => {
        if (s === 'CONNECTED' || s === 'CONNECTEDREADONLY') done();
        else if (s === 'AUTH_FAILED' && this.lastError instanceof SaslError) done(this.lastError);
        else if (s === 'CLOSED' || s === 'AUTH_FAILED')
          done(new Error(this.expired ? 'session expired' : `session ${s.toLowerCase()}`));
      };
      const timer = setTimeout(() => {
        const why = this.lastError ? `: ${this.lastError.message}` : '';
        done(new Error(`could not connect to ${this.connectString} within ${timeoutMs} ms${why}`));
      }, timeoutMs);
      this.on('state', onState);
      this.start();
    });
  }

  /** Queues or writes a packet. */
  submit(p: Packet): void {
    if (this.state === 'CLOSED' || this.closing) {
      p.onFail(failure(this.expired ? 'expired' : 'closed', false));
      return;
    }
    if (this.state === 'AUTH_FAILED') {
      p.onFail(failure('authfailed', false));
      return;
    }
    this.start();
    if (this.conn && this.isConnected) this.conn.send(p);
    else this.queue.push(p);
  }

  /** Adds credentials; they are replayed after every reconnect. Resolves when the server accepts them. */
  addAuth(scheme: string, auth: Buffer): Promise<void> {
    if (!this.isAlive) return Promise.reject(new Error(`session ${this.state.toLowerCase()}`));
    return new Promise((resolve, reject) => {
      // The waiter stays with its credentials until a reply settles it: if the connection drops
      // first, the replay after the next handshake carries it (it is never dropped).
      this.auth.add(scheme, auth, { resolve, reject }, this.conn && this.isConnected ? this.conn : null);
      this.start();
    });
  }

  /** Sleeps for a reconnect back-off; close() cuts it short. */
  private sleep(ms: number): Promise<void> {
    // Not unref'd: an open session that is reconnecting keeps the process alive, as an open socket would.
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.wake = null;
        resolve();
      }, ms);
      this.wake = () => {
        clearTimeout(timer);
        this.wake = null;
        resolve();
      };
    });
  }

  private nextXid = (): number => {
    this.xid = this.xid >= 0x7fffffff ? 1 : this.xid + 1;
    return this.xid;
  };

  /** Records a normal reply's zxid (pings, notifications and auth replies never get here). */
  noteZxid(zxid: bigint): void {
    if (zxid > 0n) this.lastZxid = zxid;
  }

  private setState(s: SessionState): void {
    if (this.state === s) return;
    this.state = s;
    this.emit('state', s);
  }

  /** Delivers a session event to the default watcher and every registered watcher, once per change. */
  private deliverState(state: number): void {
    if (this.lastDeliveredState === state) return;
    this.lastDeliveredState = state;
    const event: WatchedEvent = { type: -1, state, path: null, zxid: -1n };
    const targets = this.watches.allWatchers();
    if (this.options.watcher) targets.add(this.options.watcher);
    this.emit('event', event);
    for (const w of targets) safeCall(w, event);
  }

  private async run(): Promise<void> {
    let attempt = 0;
    while (!this.closing && this.isAlive) {
      const { host, wrapped } = this.hosts.next();
      if (attempt++ > 0) await this.sleep((this.options.retryDelay ?? defaultRetryDelay)(wrapped));
      if (this.closing) break;
      this.setState('CONNECTING');
      this.currentHost = host;
      let conn: Connection;
      try {
        conn = await this.connectTo(host);
      } catch (e) {
        if (e instanceof SaslError) return this.saslFailed(e);
        this.lastError = e as Error;
        this.hosts.failed();
        this.failures++;
        this.failQueue('loss', e as Error);
        this.emit('attemptFailed', this.lastError, this.failures);
        if (this.clientSideExpiry()) return;
        continue;
      }
      if (this.closing || !this.isAlive) {
        conn.destroy();
        break;
      }
      const ended = new Promise<Error | null>((resolve) => conn.once('close', resolve));
      this.onConnected(conn);
      if (this.options.sasl) this.deliverState(KeeperState.SaslAuthenticated);
      const err = await ended;
      this.conn = null;
      this.lastHeard = conn.lastReceived;
      this.lastError = err;
      this.auth.connectionLost();
      const reason = this.failReason();
      for (const p of conn.drainPending()) p.onFail(failure(reason, true, err));
      if (this.isAlive && !this.closing) {
        this.setState('CONNECTING');
        this.deliverState(KeeperState.Disconnected);
      }
      attempt = 1;
    }
  }

  private failReason(): FailReason {
    if (this.state === 'AUTH_FAILED') return 'authfailed';
    if (this.expired) return 'expired';
    if (this.closing || this.state === 'CLOSED') return 'closed';
    return 'loss';
  }

  /**
   * With a session id and nothing heard for 4/3 of the timeout, the server has certainly expired the
   * session: stop retrying (ZooKeeper 3.9.3+ does the same; older clients retried forever).
   */
  private clientSideExpiry(): boolean {
    if (this.sessionId === 0n || this.negotiatedTimeout === 0) return false;
    if (Date.now() - this.lastHeard < Math.floor((this.negotiatedTimeout * 4) / 3)) return false;
    this.expire();
    return true;
  }

  private expire(): void {
    this.expired = true;
    this.setState('CLOSED');
    this.failAll('expired');
    this.deliverState(KeeperState.Expired);
  }

  /** Fails the requests queued while disconnected: they were never sent. */
  private failQueue(reason: FailReason, cause?: Error): void {
    const q = this.queue;
    this.queue = [];
    for (const p of q) p.onFail(failure(reason, false, cause));
  }

  private failAll(reason: FailReason): void {
    this.failQueue(reason);
    if (this.conn) {
      const pending = this.conn.drainPending();
      this.conn.destroy();
      for (const p of pending) p.onFail(failure(reason, true));
    }
    const err =
      reason === 'expired'
        ? new SessionExpiredError()
        : reason === 'authfailed'
          ? new AuthFailedError()
          : new ConnectionLossError();
    this.auth.failAll(err);
  }

  /** Opens a socket and handshakes, all within connectTimeout = T / number of hosts. */
  private connectTo(host: HostPort): Promise<Connection> {
    const t = this.negotiatedTimeout || this.requestedTimeout;
    return dial(host, {
      transport: this.options.transport,
      tls: this.options.tls,
      nextXid: this.nextXid,
      limits: {
        maxReply: this.options.maxReply ?? DEFAULT_MAX_REPLY,
        maxRequest: this.options.maxRequest ?? SERVER_MAX_BUFFER,
      },
      timeoutMs: Math.max(1, Math.floor(t / this.hosts.size)),
      request: {
        protocolVersion: 0,
        lastZxidSeen: this.lastZxid,
        timeOut: this.requestedTimeout,
        // A session granted by a read-only server is local: ask a r/w server for a real one.
        sessionId: this.seenRwServer ? this.sessionId : 0n,
        passwd: this.seenRwServer ? this.passwd : Buffer.alloc(16),
        readOnly: this.options.canBeReadOnly ?? false,
      },
      sasl: this.options.sasl,
      onAttempt: (conn) => {
        this.attempt = conn;
      },
      onHandshake: (res) => {
        if (res.timeOut <= 0) {
          this.expire();
          throw new Error('session expired');
        }
        this.negotiatedTimeout = res.timeOut;
        this.sessionId = res.sessionId;
        this.passwd = res.passwd;
        if (!res.readOnly) this.seenRwServer = true;
        this.readOnlyConnection = res.readOnly;
      },
    });
  }

  /** The schemes of the credentials this session replays (never the credentials). */
  authSchemes(): string[] {
    return this.auth.schemes();
  }

  /** Hosts in the connect string. */
  get hostCount(): number {
    return this.hosts.size;
  }

  private onConnected(conn: Connection): void {
    this.conn = conn;
    this.failures = 0;
    this.hosts.connected();
    this.lastError = null;
    conn.on('notification', (ev, zxid) => this.onNotification(ev.type, ev.state, ev.path, zxid));
    conn.on('auth', (err) => this.onAuthReply(err));
    // Never trust a server to stretch our timers past what we asked for.
    conn.startTimers(Math.min(this.negotiatedTimeout, this.requestedTimeout));
    // Order on the wire, as the Java client: auth replay, SetWatches, then requests queued meanwhile.
    this.auth.replay(conn);
    for (const p of setWatchesPackets(this.watches, this.lastZxid)) conn.sendSpecial(Xid.setWatches, p.opCode, p.write);
    const q = this.queue;
    this.queue = [];
    this.setState(this.readOnlyConnection ? 'CONNECTEDREADONLY' : 'CONNECTED');
    for (const p of q) conn.send(p);
    this.deliverState(this.readOnlyConnection ? KeeperState.ConnectedReadOnly : KeeperState.SyncConnected);
  }

  /** A SASL failure is terminal, as AuthFailed: no reconnect would make the credentials right. */
  private saslFailed(e: SaslError): void {
    this.lastError = e;
    this.setState('AUTH_FAILED');
    this.failAll('authfailed');
    this.deliverState(KeeperState.AuthFailed);
  }

  private onAuthReply(err: number): void {
    if (this.auth.onReply(err, () => new AuthFailedError())) return;
    // AuthFailed is terminal: the server closes the connection and the session cannot recover.
    this.setState('AUTH_FAILED');
    this.failAll('authfailed');
    this.deliverState(KeeperState.AuthFailed);
  }

  private onNotification(type: number, state: number, serverPath: string, zxid: bigint): void {
    const watchers = this.watches.materialize(type, serverPath);
    const event: WatchedEvent = { type, state, path: this.chroot.toClient(serverPath), zxid };
    for (const w of watchers) safeCall(w, event);
  }

  /** Delivers a client-generated event (watch removed) to the given watchers. */
  deliver(watchers: Iterable<Watcher>, event: WatchedEvent): void {
    for (const w of watchers) safeCall(w, event);
  }

  /**
   * Ends the session: closeSession (the server drops our ephemerals), then the socket. Idempotent.
   * With `waitReply: false` the request is written and flushed but its reply (which the server sends
   * only after logging the transaction) is not awaited: the server has the request either way, so a
   * process about to exit saves a round trip and a disk sync.
   */
  close(timeoutMs = 3000, waitReply = true): Promise<void> {
    if (this.closePromise) return this.closePromise;
    this.closePromise = (async () => {
      const conn = this.conn;
      const wasAlive = this.isAlive;
      const connected = this.isConnected;
      // Mark closing first: the server closes the socket after its reply, which must not look like a loss.
      this.closing = true;
      this.wake?.();
      this.attempt?.destroy(new Error('closed'));
      if (conn && connected) {
        // Replies still on their way would be unread when the socket closes, which makes the close a reset; a
        // loaded server can then drop the closeSession unread (the session lingered until it expired). Its
        // reply comes after theirs: wait for it then.
        const unread = conn.awaitingReplies;
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, timeoutMs);
          const done = (): void => {
            clearTimeout(timer);
            resolve();
          };
          conn.send({ opCode: Op.closeSession.code, body: () => undefined, onReply: done, onFail: done });
          if (!waitReply && !unread) void conn.flush().then(done);
        });
      }
      this.failAll('closed');
      conn?.destroy();
      if (wasAlive) {
        this.setState('CLOSED');
        this.deliverState(KeeperState.Closed);
      }
    })();
    return this.closePromise;
  }

  /** True once the server reported the session expired (or the client concluded it). */
  get isExpired(): boolean {
    return this.expired;
  }
}

function failure(reason: FailReason, sent: boolean, cause?: Error | null): PacketFailure {
  return cause ? { reason, sent, cause } : { reason, sent };
}

function safeCall(w: Watcher, e: WatchedEvent): void {
  try {
    w(e);
  } catch {
    // A watcher's failure must not break the session's read loop.
  }
}
