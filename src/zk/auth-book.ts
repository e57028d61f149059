import { encodeRecord } from './jute/schema.js';
import * as R from './jute/records.js';
import { Op, Xid } from './protocol.js';
import type { JuteWriter } from './jute/writer.js';

/** Where auth packets go: Connection.sendSpecial. */
export interface SpecialSender {
  sendSpecial(xid: number, opCode: number, body: (w: JuteWriter) => void): void;
}

type Waiter = { resolve: () => void; reject: (e: Error) => void };

/**
 * The session's credentials: replayed after every reconnect, each addAuth call settled by the reply
 * to its own packet. Replies to auth packets come in the order they were sent on a connection.
 */
export class AuthBook {
  /** `waiter` is the addAuth call not yet answered; it survives reconnects until a reply settles it. */
  private readonly auths: { scheme: string; auth: Buffer; waiter: Waiter | null }[] = [];
  /** Auth packets sent on the current connection, in order. */
  private sent: number[] = [];

  /** Records credentials and, on a live connection, sends them now. */
  add(scheme: string, auth: Buffer, waiter: Waiter, conn: SpecialSender | null): void {
    this.auths.push({ scheme, auth, waiter });
    if (conn) this.send(conn, this.auths.length - 1);
  }

  /** A new connection: every credential again, in the order they were added. */
  replay(conn: SpecialSender): void {
    this.sent = [];
    this.auths.forEach((_, i) => this.send(conn, i));
  }

  /** The connection ended: replies to what was sent on it will never come. */
  connectionLost(): void {
    this.sent = [];
  }

  /** A reply to the oldest auth packet in flight: settles its addAuth call. Returns false on failure. */
  onReply(err: number, failure: () => Error): boolean {
    const i = this.sent.shift();
    const a = i === undefined ? undefined : this.auths[i];
    const w = a?.waiter ?? null;
    if (a) a.waiter = null;
    if (err === 0) {
      w?.resolve();
      return true;
    }
    w?.reject(failure());
    return false;
  }

  /** The session ended: every unanswered addAuth call fails with `err`. */
  failAll(err: Error): void {
    for (const a of this.auths) {
      a.waiter?.reject(err);
      a.waiter = null;
    }
    this.sent = [];
  }

  /** The schemes replayed (never the credentials). */
  schemes(): string[] {
    return this.auths.map((a) => a.scheme);
  }

  private send(conn: SpecialSender, index: number): void {
    const a = this.auths[index]!;
    this.sent.push(index);
    conn.sendSpecial(Xid.auth, Op.auth.code, (w) =>
      encodeRecord(w, R.AuthPacket, { type: 0, scheme: a.scheme, auth: a.auth }),
    );
  }
}
