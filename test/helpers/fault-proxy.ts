import net from 'node:net';

/**
 * A loopback TCP proxy that injects network faults between a client and a real server: stalls, latency,
 * dripped replies, cut frames, dropped and refused connections. Bytes are queued per connection and per
 * direction in arrival order, so "held" data is delivered in order when forwarding resumes.
 */
export interface FaultProxy {
  /** Listening port on 127.0.0.1. */
  readonly port: number;
  /** "127.0.0.1:PORT", for a connect string. */
  readonly address: string;
  /** Currently open client connections (blackholed ones included). */
  connections(): number;
  /** Stop forwarding in both directions (bytes are held, sockets stay open). */
  stall(): void;
  /** Forward client→server, hold server→client: the server gets requests, the client sees nothing. */
  stallReplies(): void;
  /** Forward again; held bytes are delivered in order. */
  resume(): void;
  /** Destroy every open connection pair now (new connections are still accepted). */
  drop(): void;
  /** The next server→client chunk is cut half way, then both sockets are destroyed. */
  cutMidFrame(): void;
  /** Add latency to every chunk, both ways (0 = off). Applies to chunks that arrive from now on. */
  delay(ms: number): void;
  /** Deliver server→client bytes in chunks of at most this size, one per interval (0 = off). */
  drip(bytesPerChunk: number, intervalMs: number): void;
  /** While on, accept new connections and destroy them at once. */
  refuse(on: boolean): void;
  /** While on, accept new connections but never forward anything on them (they are never connected to the server). */
  blackhole(on: boolean): void;
  /** Connections accepted since start (refused ones included): a reconnect shows as a new one. */
  accepted(): number;
  /** Bytes held right now (queued and not yet written), both directions, all connections. */
  held(): number;
  /** Bytes written to clients / to the server since start. */
  forwarded(): { toClient: number; toServer: number };
  close(): Promise<void>;
}

type Item = { buf: Buffer; at: number } | { end: true; at: number };

interface Dir {
  readonly toClient: boolean;
  readonly dst: () => net.Socket | null;
  readonly q: Item[];
  timer: NodeJS.Timeout | null;
  /** Earliest time of the next drip write. */
  nextAt: number;
}

interface Pair {
  readonly client: net.Socket;
  server: net.Socket | null;
  readonly up: Dir;
  readonly down: Dir;
  dead: boolean;
  /** A cut chunk is on its way: nothing more is written, the pair dies once it is flushed. */
  cut: boolean;
}

export async function startFaultProxy(target: { host: string; port: number }): Promise<FaultProxy> {
  const pairs = new Set<Pair>();
  let stallUp = false;
  let stallDown = false;
  let cutArmed = false;
  let delayMs = 0;
  let dripBytes = 0;
  let dripInterval = 0;
  let refusing = false;
  let blackholing = false;
  let acceptedCount = 0;
  const totals = { toClient: 0, toServer: 0 };

  const kill = (p: Pair): void => {
    if (p.dead) return;
    p.dead = true;
    for (const d of [p.up, p.down]) {
      if (d.timer) clearTimeout(d.timer);
      d.timer = null;
      d.q.length = 0;
    }
    p.client.destroy();
    p.server?.destroy();
    pairs.delete(p);
  };

  const write = (d: Dir, buf: Buffer, cb?: () => void): void => {
    const dst = d.dst();
    if (!dst || dst.destroyed) return;
    if (d.toClient) totals.toClient += buf.length;
    else totals.toServer += buf.length;
    dst.write(buf, cb);
  };

  const later = (p: Pair, d: Dir, ms: number): void => {
    d.timer = setTimeout(() => {
      d.timer = null;
      pump(p, d);
    }, ms);
  };

  const pump = (p: Pair, d: Dir): void => {
    if (p.dead || p.cut || d.timer) return;
    const dst = d.dst();
    // The server side is still connecting: its 'connect' handler pumps again.
    if (!dst || dst.connecting) return;
    while (d.q.length > 0) {
      if (d.toClient ? stallDown : stallUp) return;
      const head = d.q[0]!;
      const wait = Math.max(head.at, d.toClient && dripBytes > 0 ? d.nextAt : 0) - Date.now();
      if (wait > 0) return later(p, d, wait);
      if ('end' in head) {
        d.q.shift();
        dst.end();
        continue;
      }
      if (d.toClient && cutArmed) {
        cutArmed = false;
        d.q.length = 0;
        const half = head.buf.subarray(0, head.buf.length >> 1);
        p.cut = true;
        write(d, half, () => kill(p));
        return;
      }
      if (d.toClient && dripBytes > 0) {
        const piece = head.buf.subarray(0, dripBytes);
        if (piece.length === head.buf.length) d.q.shift();
        else head.buf = head.buf.subarray(dripBytes);
        write(d, piece);
        d.nextAt = Date.now() + dripInterval;
        continue;
      }
      d.q.shift();
      write(d, head.buf);
    }
  };

  const enqueue = (p: Pair, d: Dir, item: Item): void => {
    if (p.dead || p.cut) return;
    d.q.push(item);
    pump(p, d);
  };

  const server = net.createServer({ allowHalfOpen: true }, (client) => {
    acceptedCount++;
    client.on('error', () => {});
    if (refusing) {
      client.destroy();
      return;
    }
    client.setNoDelay(true);
    const p: Pair = {
      client,
      server: null,
      up: { toClient: false, dst: () => p.server, q: [], timer: null, nextAt: 0 },
      down: { toClient: true, dst: () => p.client, q: [], timer: null, nextAt: 0 },
      dead: false,
      cut: false,
    };
    pairs.add(p);
    client.on('close', () => kill(p));
    if (blackholing) {
      client.resume();
      return;
    }
    const upstream = net.connect({ host: target.host, port: target.port, allowHalfOpen: true });
    p.server = upstream;
    upstream.setNoDelay(true);
    upstream.on('error', () => kill(p));
    upstream.on('connect', () => pump(p, p.up));
    upstream.on('data', (b: Buffer) => enqueue(p, p.down, { buf: b, at: Date.now() + delayMs }));
    upstream.on('end', () => enqueue(p, p.down, { end: true, at: Date.now() + delayMs }));
    // An abrupt close kills the pair; after a clean end the queued replies and the end still go out.
    upstream.on('close', () => {
      if (!upstream.readableEnded) kill(p);
    });
    client.on('data', (b: Buffer) => enqueue(p, p.up, { buf: b, at: Date.now() + delayMs }));
    client.on('end', () => enqueue(p, p.up, { end: true, at: Date.now() + delayMs }));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as net.AddressInfo).port;
  const pumpAll = (): void => {
    for (const p of [...pairs]) {
      pump(p, p.up);
      pump(p, p.down);
    }
  };

  return {
    port,
    address: `127.0.0.1:${port}`,
    connections: () => [...pairs].filter((p) => !p.client.destroyed).length,
    stall: () => {
      stallUp = true;
      stallDown = true;
    },
    stallReplies: () => {
      stallDown = true;
    },
    resume: () => {
      stallUp = false;
      stallDown = false;
      pumpAll();
    },
    drop: () => {
      for (const p of [...pairs]) kill(p);
    },
    cutMidFrame: () => {
      cutArmed = true;
    },
    delay: (ms) => {
      delayMs = Math.max(0, ms);
    },
    drip: (bytes, interval) => {
      dripBytes = Math.max(0, Math.floor(bytes));
      dripInterval = Math.max(0, interval);
      if (dripBytes === 0) pumpAll();
    },
    refuse: (on) => {
      refusing = on;
    },
    blackhole: (on) => {
      blackholing = on;
    },
    accepted: () => acceptedCount,
    held: () => {
      let n = 0;
      for (const p of pairs) for (const d of [p.up, p.down]) for (const i of d.q) if ('buf' in i) n += i.buf.length;
      return n;
    },
    forwarded: () => ({ ...totals }),
    close: async () => {
      for (const p of [...pairs]) kill(p);
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
