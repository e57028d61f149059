import net from 'node:net';
import { FrameSplitter } from '../../src/zk/framing.js';
import { JuteReader } from '../../src/zk/jute/reader.js';
import * as O from './jute-oracle.js';

/** One client connection to the fake: raw frames in, hand-built frames out (via the oracle). */
export interface FakeConn {
  reply(xid: number, zxid: bigint, err: number, body?: number[]): void;
  /**
   * Sends a reply as ZooKeeper's NIO server may: reading nothing more until it is written, and dropping the
   * connection, unread requests and all, if writing it fails.
   */
  replyWhole(frame: Buffer): void;
  notify(type: number, path: string): void;
  close(): void;
  /** Stop answering anything (pings included), as a frozen server would. */
  hang(): void;
}

export interface FakeHandlers {
  /** Return 'expired' to answer with timeOut 0, 'close' to drop the socket, else the negotiated timeout. */
  onConnect?: (
    req: { sessionId: bigint; timeOut: number; lastZxidSeen: bigint },
    n: number,
  ) => number | 'expired' | 'close';
  onRequest?: (req: { xid: number; type: number; body: JuteReader }, conn: FakeConn) => void;
}

/** A scripted ZooKeeper stand-in on a real loopback port, for client-logic unit tests only. */
export async function startFakeZk(
  h: FakeHandlers,
): Promise<{ port: number; connections: number; stop: () => Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const state = { connections: 0 };
  const server = net.createServer((sock) => {
    sockets.add(sock);
    sock.on('close', () => sockets.delete(sock));
    sock.on('error', () => undefined);
    const n = ++state.connections;
    const split = new FrameSplitter();
    let handshaken = false;
    let hung = false;
    const conn: FakeConn = {
      reply: (xid, zxid, err, body = []) =>
        sock.write(O.frame([...O.int(xid), ...O.long(zxid), ...O.int(err), ...body])),
      notify: (type, path) =>
        sock.write(O.frame([...O.int(-1), ...O.long(-1n), ...O.int(0), ...O.int(type), ...O.int(3), ...O.str(path)])),
      replyWhole: (frame) => {
        sock.pause();
        sock.write(frame, (e) => (e ? sock.destroy() : sock.resume()));
      },
      close: () => sock.destroy(),
      hang: () => {
        hung = true;
      },
    };
    sock.on('data', (chunk: Buffer) => {
      for (const f of split.push(chunk)) {
        if (hung) continue;
        const r = new JuteReader(f);
        if (!handshaken) {
          handshaken = true;
          r.int();
          const lastZxidSeen = r.long();
          const timeOut = r.int();
          const sessionId = r.long();
          const res = h.onConnect?.({ sessionId, timeOut, lastZxidSeen }, n) ?? timeOut;
          if (res === 'close') {
            sock.destroy();
            return;
          }
          const expired = res === 'expired';
          sock.write(
            O.frame([
              ...O.int(0),
              ...O.int(expired ? 0 : res),
              ...O.long(expired ? 0n : 0x42n),
              ...O.buf(Array(16).fill(expired ? 0 : 7)),
              ...O.bool(false),
            ]),
          );
          if (expired) sock.end();
          continue;
        }
        const xid = r.int();
        const type = r.int();
        if (xid === -2) {
          conn.reply(-2, 0n, 0);
          continue;
        }
        h.onRequest?.({ xid, type, body: r }, conn);
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as net.AddressInfo).port,
    get connections() {
      return state.connections;
    },
    stop: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
