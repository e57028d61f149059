// Long on purpose (~340 lines): one socket's whole protocol life (handshake, xid FIFO, pings, read
// timeout, per-request deadline, size limits), whose timers and queue interact.
import type net from 'node:net';
import { EventEmitter } from 'node:events';
import { errorFor } from './errors.js';
import { FrameSplitter } from './framing.js';
import { JuteReader, ProtocolError } from './jute/reader.js';
import { JuteWriter } from './jute/writer.js';
import * as R from './jute/records.js';
import { decodeRecord, encodeRecord, type Infer } from './jute/schema.js';
import { Op, Xid } from './protocol.js';

export type FailReason = 'loss' | 'expired' | 'authfailed' | 'closed' | 'toolarge';

/** Why a packet will never get a (usable) reply. */
export interface PacketFailure {
  readonly reason: FailReason;
  /**
   * Whether the request was written to a server. Unsent requests were certainly not applied; sent
   * ones may or may not have been (their reply was lost).
   */
  readonly sent: boolean;
  /** What broke the connection (a malformed reply, a silent server), when known. */
  readonly cause?: Error;
  /** For 'toolarge': the frame size that exceeded the limit, and the limit. */
  readonly size?: number;
  readonly limit?: number;
  /** For 'toolarge': whether the request (true) or its reply (false) was too large. */
  readonly request?: boolean;
}

/** A request waiting to be written and then answered in FIFO order. */
export interface Packet {
  readonly opCode: number;
  /** Writes the request record after the header. */
  readonly body: (w: JuteWriter) => void;
  /**
   * Called with the reply header and a reader positioned on the response body. It throws a
   * ProtocolError when the body is malformed: the connection is then dropped (its stream can no
   * longer be trusted) and this packet fails with that cause.
   */
  readonly onReply: (header: Infer<typeof R.ReplyHeader>, r: JuteReader) => void;
  /** Called when the packet will never be answered (connection lost, session ended, too large). */
  readonly onFail: (f: PacketFailure) => void;
  xid?: number;
  /** When it was written (for the per-request deadline). */
  sentAt?: number;
}

export interface ConnectionLimits {
  /** Largest reply frame accepted (the client's jute.maxbuffer). Larger replies fail their request only. */
  maxReply: number;
  /** Largest request frame the server is assumed to accept (the server's jute.maxbuffer). */
  maxRequest: number;
}

export interface ConnectResult {
  timeOut: number;
  sessionId: bigint;
  passwd: Buffer;
  readOnly: boolean;
}

export interface ConnectionEvents {
  notification: [event: Infer<typeof R.WatcherEvent>, zxid: bigint];
  auth: [err: number];
  /** The socket is gone; `error` says why (null on a clean close). */
  close: [error: Error | null];
}

/**
 * One socket to one server. It does the handshake, writes packets with xids assigned at write time
 * (the server answers strictly in that order), matches replies against the FIFO, pings and detects a
 * silent server. It knows nothing of sessions, watches or reconnecting: session.ts does.
 */
export class Connection extends EventEmitter<ConnectionEvents> {
  private readonly splitter: FrameSplitter;
  private readonly pending: Packet[] = [];
  private pendingHead = 0;
  private lastSend = Date.now();
  private lastRecv = Date.now();
  private timer: NodeJS.Timeout | null = null;
  private readTimeout = 0;
  private requestTimeout = Infinity;
  private closed = false;
  private handshakeWaiter: ((frame: Buffer) => void) | null = null;
  private corked = false;

  constructor(
    private readonly socket: net.Socket,
    private readonly nextXid: () => number,
    private readonly limits: ConnectionLimits,
    /** Names the server in errors. */
    private readonly peer = 'the server',
  ) {
    super();
    this.splitter = new FrameSplitter(limits.maxReply);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (err) => this.destroy(err));
    socket.on('close', () => this.destroy(new Error('connection closed by server')));
  }

  /** Resolves when the socket is open (TCP connected, TLS handshake done). */
  waitOpen(): Promise<void> {
    return new Promise((resolve, reject) => {
      const ev = 'encrypted' in this.socket ? 'secureConnect' : 'connect';
      const onErr = (e: Error): void => reject(e);
      this.socket.once('error', onErr);
      this.socket.once(ev, () => {
        this.socket.off('error', onErr);
        resolve();
      });
    });
  }

  /** Sends the ConnectRequest (no RequestHeader) and reads the ConnectResponse. */
  handshake(req: Infer<typeof R.ConnectRequest>): Promise<ConnectResult> {
    return new Promise((resolve, reject) => {
      const onClose = (err: Error | null): void => reject(err ?? new Error('connection closed during handshake'));
      this.once('close', onClose);
      this.handshakeWaiter = (frame) => {
        this.off('close', onClose);
        try {
          // A server that refuses to create the session (a read-only server, for one) answers with a
          // bare reply header (xid 0, err) instead of a ConnectResponse.
          if (frame.length === 16) {
            const h = decodeRecord(new JuteReader(frame), R.ReplyHeader);
            throw new Error(`the server refused to create a session: ${errorFor(h.err).message}`);
          }
          const r = new JuteReader(frame);
          const res = decodeRecord(r, R.ConnectResponse);
          // 3.3-era servers omit the readOnly byte: a 36-byte body.
          const readOnly = r.remaining > 0 ? r.boolean() : false;
          resolve({ timeOut: res.timeOut, sessionId: res.sessionId, passwd: res.passwd ?? Buffer.alloc(16), readOnly });
        } catch (e) {
          reject(e);
        }
      };
      const w = new JuteWriter(64);
      encodeRecord(w, R.ConnectRequest, req);
      this.writeFrame(w.frame());
    });
  }

  /**
   * Starts pings, the read timeout and the per-request deadline once the session is up. `timeout`
   * is the session timeout the timers derive from (the session clamps it to what was requested).
   */
  startTimers(timeout: number, requestTimeout = timeout): void {
    this.readTimeout = Math.floor((timeout * 2) / 3);
    this.requestTimeout = Math.max(requestTimeout, this.readTimeout);
    this.schedule();
  }

  private schedule(): void {
    if (this.closed) return;
    const now = Date.now();
    const idleRecv = now - this.lastRecv;
    const idleSend = now - this.lastSend;
    if (idleRecv >= this.readTimeout) {
      this.destroy(new Error(`Client session timed out, have not heard from server in ${idleRecv}ms`));
      return;
    }
    // A server that answers pings but not requests would leave callers waiting forever.
    const oldest = this.pending[this.pendingHead];
    const waited = oldest?.sentAt === undefined ? 0 : now - oldest.sentAt;
    if (waited >= this.requestTimeout) {
      this.destroy(new Error(`${this.peer} did not answer a request within ${waited} ms`));
      return;
    }
    // Java ClientCnxn's ping rule: half the read timeout, a second early once idle, and at least every 10 s.
    let toPing = Math.floor(this.readTimeout / 2) - idleSend - (idleSend > 1000 ? 1000 : 0);
    if (toPing <= 0 || idleSend > 10000) {
      this.ping();
      toPing = Math.floor(this.readTimeout / 2) - 1000;
    }
    const toDeadline = oldest ? this.requestTimeout - waited : Infinity;
    const wait = Math.max(10, Math.min(toPing, this.readTimeout - idleRecv, toDeadline, 10000));
    this.timer = setTimeout(() => this.schedule(), wait);
    this.timer.unref();
  }

  private ping(): void {
    this.writeFrame(new JuteWriter(16).int(Xid.ping).int(Op.ping.code).frame());
  }

  /** Writes a packet that expects a reply in FIFO order; the xid is assigned now, at write time. */
  send(p: Packet): void {
    if (this.closed) {
      p.onFail({ reason: 'loss', sent: false });
      return;
    }
    const w = new JuteWriter(128);
    w.int(0).int(p.opCode);
    p.body(w);
    const frame = w.frame();
    if (frame.length - 4 > this.limits.maxRequest) {
      p.onFail({
        reason: 'toolarge',
        sent: false,
        request: true,
        size: frame.length - 4,
        limit: this.limits.maxRequest,
      });
      return;
    }
    p.xid = this.nextXid();
    frame.writeInt32BE(p.xid, 4);
    p.sentAt = Date.now();
    this.pending.push(p);
    this.writeFrame(frame);
  }

  /** Writes a packet with a special xid (auth, setWatches) that is not matched against the FIFO. */
  sendSpecial(xid: number, opCode: number, body: (w: JuteWriter) => void): void {
    const w = new JuteWriter(128);
    w.int(xid).int(opCode);
    body(w);
    this.writeFrame(w.frame());
  }

  private writeFrame(frame: Buffer): void {
    if (this.closed) return;
    this.lastSend = Date.now();
    // Many requests issued in one tick go out in one write: cork now, uncork on the next tick.
    if (!this.corked) {
      this.corked = true;
      this.socket.cork();
      process.nextTick(() => {
        this.corked = false;
        this.socket.uncork();
      });
    }
    this.socket.write(frame);
  }

  private onData(chunk: Buffer): void {
    if (this.closed) return;
    this.lastRecv = Date.now();
    try {
      this.splitter.feed(chunk, this.sink);
    } catch (e) {
      this.destroy(
        e instanceof ProtocolError
          ? new ProtocolError(`malformed reply from ${this.peer}: ${e.message}`)
          : (e as Error),
      );
    }
  }

  private readonly sink = {
    frame: (frame: Buffer): void => {
      if (this.closed) return;
      if (this.handshakeWaiter) {
        const w = this.handshakeWaiter;
        this.handshakeWaiter = null;
        w(frame);
        return;
      }
      this.onFrame(frame);
    },
    oversized: (size: number, head: Buffer): void => {
      if (this.closed) return;
      if (this.handshakeWaiter || head.length < 16)
        throw new ProtocolError(`a ${size}-byte frame where a reply header was expected`);
      const header = decodeRecord(new JuteReader(head), R.ReplyHeader);
      const p = this.takePending(header.xid, header.err);
      if (p) p.onFail({ reason: 'toolarge', sent: true, size, limit: this.limits.maxReply });
    },
  };

  private onFrame(frame: Buffer): void {
    const r = new JuteReader(frame);
    const header = decodeRecord(r, R.ReplyHeader);
    // Special xids first: they never have a FIFO entry.
    switch (header.xid) {
      case Xid.notification:
        this.emit('notification', decodeRecord(r, R.WatcherEvent), header.zxid);
        return;
      case Xid.ping:
      case Xid.setWatches:
        return;
      case Xid.auth:
        this.emit('auth', header.err);
        return;
    }
    const p = this.takePending(header.xid, header.err);
    if (!p) return;
    try {
      p.onReply(header, r);
    } catch (e) {
      // A reply we cannot decode means the stream cannot be trusted: drop the connection, and fail
      // this request (already off the FIFO) with the same cause as the others.
      const cause = new ProtocolError(`malformed reply from ${this.peer}: ${(e as Error).message}`);
      p.onFail({ reason: 'loss', sent: true, cause });
      this.destroy(cause);
    }
  }

  /** Takes the FIFO head for a reply, checking its xid; a mismatch is a protocol error. */
  private takePending(xid: number, err: number): Packet | null {
    if (this.pendingHead >= this.pending.length) throw new ProtocolError(`nothing in the queue, but got xid ${xid}`);
    const p = this.pending[this.pendingHead]!;
    // Check before taking it off the FIFO, so a mismatch leaves it there to be failed with the rest.
    if (p.xid !== xid)
      throw new ProtocolError(`xid out of order: got xid ${xid} with err ${err}, expected xid ${p.xid}`);
    this.pending[this.pendingHead++] = undefined as unknown as Packet;
    if (this.pendingHead > 1024 && this.pendingHead * 2 > this.pending.length) {
      this.pending.splice(0, this.pendingHead);
      this.pendingHead = 0;
    }
    return p;
  }

  /** Replies are still to come: requests unanswered, or a reply (or one over the limit, being skipped) half read. */
  get awaitingReplies(): boolean {
    return this.pendingHead < this.pending.length || this.splitter.midFrame;
  }

  /** Resolves once everything written so far has left for the kernel (nothing is awaited from the server). */
  flush(): Promise<void> {
    if (this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      if (this.corked) {
        this.corked = false;
        this.socket.uncork();
      }
      this.socket.write(Buffer.alloc(0), () => resolve());
    });
  }

  /** Takes every unanswered packet (for the session to fail or keep). */
  drainPending(): Packet[] {
    const out = this.pending.slice(this.pendingHead);
    this.pending.length = 0;
    this.pendingHead = 0;
    return out;
  }

  destroy(error: Error | null = null): void {
    if (this.closed) return;
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.socket.destroy();
    this.emit('close', error);
  }

  /** When the last frame arrived (for client-side session expiry). */
  get lastReceived(): number {
    return this.lastRecv;
  }
}
