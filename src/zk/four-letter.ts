import net from 'node:net';
import type tls from 'node:tls';
import { loadTls } from './transport.js';

/** Every four-letter word the server knows (3.9). */
export const FOUR_LETTER_WORDS = [
  'ruok',
  'stat',
  'srvr',
  'conf',
  'cons',
  'crst',
  'dump',
  'envi',
  'mntr',
  'wchs',
  'wchc',
  'wchp',
  'dirs',
  'isro',
  'srst',
  'gtmk',
  'stmk',
  'hash',
] as const;

export interface FourLetterOptions {
  timeoutMs?: number;
  tls?: tls.ConnectionOptions;
  /** For stmk: the trace mask to set. */
  traceMask?: bigint;
}

/**
 * Sends a four-letter word on a fresh connection and reads until the server closes it. On plain TCP the
 * write side is half-closed as the Java helper does; TLS forbids that, so there we only read.
 */
export function fourLetterWord(
  host: string,
  port: number,
  word: string,
  opts: FourLetterOptions = {},
): Promise<string> {
  if (!/^[a-z]{4}$/.test(word)) return Promise.reject(new Error(`not a four-letter word: ${word}`));
  const timeoutMs = opts.timeoutMs ?? 5000;
  let payload = Buffer.from(word, 'ascii');
  if (word === 'stmk') {
    const mask = Buffer.alloc(8);
    mask.writeBigInt64BE(opts.traceMask ?? 0n);
    payload = Buffer.concat([payload, mask]);
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const sock = opts.tls
      ? loadTls().connect({ ...opts.tls, host, port, ...(net.isIP(host) ? {} : { servername: host }) })
      : net.connect({ host, port });
    const timer = setTimeout(() => {
      sock.destroy();
      reject(new Error(`no answer to ${word} from ${host}:${port} within ${timeoutMs} ms`));
    }, timeoutMs);
    sock.once(opts.tls ? 'secureConnect' : 'connect', () => {
      if (opts.tls) sock.write(payload);
      else sock.end(payload);
    });
    sock.on('data', (c: Buffer) => chunks.push(c));
    sock.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    sock.on('close', () => {
      clearTimeout(timer);
      resolve(Buffer.concat(chunks).toString('utf8'));
    });
  });
}

/** Parses `mntr` output (`zk_key<TAB>value` lines) into an object; numbers stay strings if not numeric. */
export function parseMntr(text: string): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const line of text.split('\n')) {
    const tab = line.indexOf('\t');
    if (tab < 0) continue;
    const v = line.slice(tab + 1).trim();
    out[line.slice(0, tab)] = /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : v;
  }
  return out;
}

/** Parses `key: value` (srvr, stat) or `key=value` (conf, envi) lines into an object. */
export function parseKeyValues(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const m = /^([^:=]+?)\s*[:=]\s?(.*)$/.exec(line);
    if (m && m[1]) out[m[1].trim()] = (m[2] ?? '').trim();
  }
  return out;
}
