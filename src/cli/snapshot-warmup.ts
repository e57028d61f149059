// Run only while the start-up snapshot is built (snapshot-entry.ts): one `get` and one `ls` through the real
// Shell, client and Node's net module, against a fake server on a loopback port of the build, so that V8 has
// compiled that whole path (ours and Node's own) into the blob instead of at every one-shot start. Everything
// is closed before the snapshot is taken; nothing of the build machine is kept (output goes nowhere).
import net from 'node:net';
import { Shell } from '../shell/shell.js';

function withLength(body: Buffer): Buffer {
  const out = Buffer.alloc(4 + body.length);
  out.writeInt32BE(body.length, 0);
  body.copy(out, 4);
  return out;
}

/** A reply for one request: header (xid, zxid, err) and the body the client expects. */
function reply(req: Buffer): Buffer {
  const xid = req.readInt32BE(0);
  const type = req.readInt32BE(4);
  const head = Buffer.alloc(16);
  head.writeInt32BE(xid, 0);
  head.writeBigInt64BE(1n, 4);
  const stat = Buffer.alloc(68);
  if (type === 4) return Buffer.concat([head, Buffer.from([0, 0, 0, 1, 0x78]), stat]); // getData: "x"
  if (type === 8) return Buffer.concat([head, Buffer.from([0, 0, 0, 1, 0, 0, 0, 1, 0x61])]); // getChildren: [a]
  if (type === -11) return head; // closeSession
  head.writeInt32BE(-101, 12); // anything else: NONODE
  return head;
}

function fakeServer(): net.Server {
  return net.createServer((sock) => {
    let buf = Buffer.alloc(0);
    let connected = false;
    sock.on('error', () => undefined);
    sock.on('data', (c: Buffer) => {
      buf = Buffer.concat([buf, c]);
      while (buf.length >= 4 && buf.length >= 4 + buf.readInt32BE(0)) {
        const body = buf.subarray(4, 4 + buf.readInt32BE(0));
        buf = buf.subarray(4 + body.length);
        if (connected) sock.write(withLength(reply(body)));
        else {
          connected = true;
          // ConnectResponse: protocol version, timeout, session id, password (16 bytes), read-only flag.
          const res = Buffer.alloc(4 + 4 + 8 + 4 + 16 + 1);
          res.writeInt32BE(30000, 4);
          res.writeBigInt64BE(1n, 8);
          res.writeInt32BE(16, 16);
          sock.write(withLength(res));
        }
      }
    });
  });
}

export async function warmUp(): Promise<void> {
  const server = fakeServer();
  const sockets = new Set<net.Socket>();
  server.on('connection', (s: net.Socket) => sockets.add(s));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as net.AddressInfo;
  const shell = new Shell({
    connectString: `127.0.0.1:${port}`,
    sessionTimeout: 30000,
    canBeReadOnly: false,
    tls: undefined,
    connectWaitMs: 30000,
    waitForConnection: false,
    format: 'zkcli',
    safeOutput: false,
    safeErrors: false,
    sink: { out: () => undefined, err: () => undefined, note: () => undefined },
    interactive: false,
    assumeYes: true,
    printSessionEvents: false,
  });
  const stop = (): void => {
    void shell.close(true);
    server.close();
    for (const s of sockets) s.destroy();
  };
  // Whatever happens, the build must not wait on an open socket: give up after 5 s.
  const guard = setTimeout(stop, 5000).unref();
  try {
    if ((await shell.execute(['get', '/x'])) !== 0 || (await shell.execute(['ls', '/'])) !== 0)
      throw new Error('the fake server was not understood');
  } finally {
    clearTimeout(guard);
    await shell.close(true);
    stop();
  }
}
