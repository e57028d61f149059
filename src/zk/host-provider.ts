import { isIPv6 } from 'node:net';
import { InvalidArgumentError } from './errors.js';
import { validatePath } from './path.js';

export interface HostPort {
  readonly host: string;
  readonly port: number;
}

export interface ConnectString {
  readonly hosts: HostPort[];
  /** The chroot, or null when there is none (a bare "/" means none). */
  readonly chroot: string | null;
}

/** Parses "h1:2181,[::1]:2182,h3/chroot" as ZooKeeper's ConnectStringParser does. */
export function parseConnectString(text: string): ConnectString {
  const slash = text.indexOf('/');
  let chroot: string | null = null;
  let hostPart = text;
  if (slash >= 0) {
    const c = text.slice(slash);
    hostPart = text.slice(0, slash);
    if (c.length > 1) {
      validatePath(c);
      chroot = c;
    }
  }
  const hosts = hostPart
    .split(',')
    .map((h) => h.trim())
    .filter((h) => h.length > 0)
    .map(parseHostPort);
  if (hosts.length === 0) throw new InvalidArgumentError(`A HostProvider may not be empty: ${text}`);
  return { hosts, chroot };
}

export function parseHostPort(text: string): HostPort {
  let host = text;
  let port = 2181;
  if (text.startsWith('[')) {
    const end = text.indexOf(']');
    if (end < 0) throw new InvalidArgumentError(`invalid IPv6 address: ${text}`);
    host = text.slice(1, end);
    const rest = text.slice(end + 1);
    if (rest.startsWith(':')) port = parsePort(rest.slice(1), text);
    else if (rest.length > 0) throw new InvalidArgumentError(`invalid host:port: ${text}`);
  } else {
    const i = text.lastIndexOf(':');
    if (i >= 0 && text.indexOf(':') === i) {
      host = text.slice(0, i);
      port = parsePort(text.slice(i + 1), text);
    } else if (i >= 0 && !isIPv6(text)) {
      // Several colons without brackets can only be a bare IPv6 address; "bad:port:x" is a typo to report.
      throw new InvalidArgumentError(`invalid host:port: ${text} (an IPv6 address with a port is written [addr]:port)`);
    }
  }
  if (host.length === 0) throw new InvalidArgumentError(`invalid host:port: ${text}`);
  return { host, port };
}

function parsePort(s: string, whole: string): number {
  const port = /^\d+$/.test(s) ? Number(s) : NaN;
  if (!(port > 0 && port < 65536)) throw new InvalidArgumentError(`invalid port in ${whole}`);
  return port;
}

export const formatHostPort = (h: HostPort): string =>
  h.host.includes(':') ? `[${h.host}]:${h.port}` : `${h.host}:${h.port}`;

/**
 * Shuffles the hosts once, then walks them round-robin. When every host has been tried since the last
 * success, the caller should back off (Java sleeps spinDelay before trying the ring again).
 */
export class HostProvider {
  readonly hosts: HostPort[];
  private index = -1;
  private failuresSinceSuccess = 0;

  constructor(hosts: readonly HostPort[], shuffle = true) {
    this.hosts = [...hosts];
    if (shuffle) {
      for (let i = this.hosts.length - 1; i > 0; i--) {
        const j = Math.floor(Math.random() * (i + 1));
        [this.hosts[i], this.hosts[j]] = [this.hosts[j]!, this.hosts[i]!];
      }
    }
  }

  get size(): number {
    return this.hosts.length;
  }

  /** The next host, and whether every host has failed since the last success (time to back off). */
  next(): { host: HostPort; wrapped: boolean } {
    this.index = (this.index + 1) % this.hosts.length;
    const wrapped = this.failuresSinceSuccess > 0 && this.failuresSinceSuccess % this.hosts.length === 0;
    return { host: this.hosts[this.index]!, wrapped };
  }

  failed(): void {
    this.failuresSinceSuccess++;
  }

  /** Records that the host last returned by next() accepted the session. */
  connected(): void {
    this.failuresSinceSuccess = 0;
  }
}
