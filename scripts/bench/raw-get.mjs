// The floor for a one-shot `get`: the least a Node process can do to connect, read one znode and close
// its session — hand-written jute over a socket, no libraries. zk-shell's one-shot start is compared to it.
import net from 'node:net';
const [host, port] = process.argv[2].split(':');
const path = process.argv[3];
const sock = net.connect(Number(port), host);
function len(n) {
  const b = Buffer.alloc(4);
  b.writeInt32BE(n);
  return b;
}
const frame = (body) => Buffer.concat([len(body.length), body]);
const connect = Buffer.alloc(4 + 8 + 4 + 8 + 4 + 16 + 1);
connect.writeInt32BE(30000, 12);
connect.writeInt32BE(16, 28);
const p = Buffer.from(path);
const get = Buffer.alloc(8 + 4 + p.length + 1);
get.writeInt32BE(1, 0);
get.writeInt32BE(4, 4);
get.writeInt32BE(p.length, 8);
p.copy(get, 12);
const close = Buffer.alloc(8);
close.writeInt32BE(2, 0);
close.writeInt32BE(-11, 4);
let buf = Buffer.alloc(0);
let step = 0;
sock.on('connect', () => sock.write(frame(connect)));
sock.on('data', (c) => {
  buf = Buffer.concat([buf, c]);
  while (buf.length >= 4 && buf.length >= 4 + buf.readInt32BE(0)) {
    const body = buf.subarray(4, 4 + buf.readInt32BE(0));
    buf = buf.subarray(4 + body.length);
    if (step === 0) sock.write(frame(get));
    else if (step === 1) {
      const n = body.readInt32BE(16);
      process.stdout.write(body.subarray(20, 20 + Math.max(0, n)));
      process.stdout.write('\n');
      sock.write(frame(close));
    } else sock.end();
    step++;
  }
});
sock.on('error', (e) => {
  process.stderr.write(`${e.message}\n`);
  process.exit(1);
});
