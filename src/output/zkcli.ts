// zkCli-compatible text, byte for byte where scripts parse it.
import { permsToString } from '../zk/acl.js';
import type { ACL, Stat } from '../zk/jute/records.js';
import { eventTypeName, keeperStateName } from '../zk/protocol.js';
import type { WatchedEvent } from '../zk/watches.js';
import { javaDate } from './java-date.js';

const MAX_EXACT = BigInt(Number.MAX_SAFE_INTEGER);
/** 0x + lower-case hex of the unsigned value, no padding (StatPrinter). */
export const hex = (v: bigint): string =>
  // Most zxids and session ids fit a double exactly, and Number#toString is much cheaper than BigInt's.
  v >= 0n && v <= MAX_EXACT ? `0x${Number(v).toString(16)}` : `0x${BigInt.asUintN(64, v).toString(16)}`;

/** The 11-line stat block. */
export function statLines(s: Stat): string[] {
  return [
    `cZxid = ${hex(s.czxid)}`,
    `ctime = ${javaDate(s.ctime)}`,
    `mZxid = ${hex(s.mzxid)}`,
    `mtime = ${javaDate(s.mtime)}`,
    `pZxid = ${hex(s.pzxid)}`,
    `cversion = ${s.cversion}`,
    `dataVersion = ${s.version}`,
    `aclVersion = ${s.aversion}`,
    `ephemeralOwner = ${hex(s.ephemeralOwner)}`,
    `dataLength = ${s.dataLength}`,
    `numChildren = ${s.numChildren}`,
  ];
}

/** Children sorted by UTF-16 code units (Java String order), as "[a, b]". */
export const childrenList = (children: readonly string[]): string => `[${[...children].sort().join(', ')}]`;

/** jute's record-to-string escaping for ACL ids. */
const juteEscape = (s: string): string =>
  s.replace(/[%,}\n\r\u0000]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);

/** Two lines per entry: "'scheme,'id" then ": perms". */
export const aclLines = (acl: readonly ACL[]): string[] =>
  acl.flatMap((a) => [`'${juteEscape(a.id.scheme)},'${juteEscape(a.id.id)}`, `: ${permsToString(a.perms)}`]);

/** The four lines zkCli's default watcher prints (the first is empty). */
export const watcherLines = (e: WatchedEvent): string[] => [
  '',
  'WATCHER::',
  '',
  `WatchedEvent state:${keeperStateName(e.state)} type:${eventTypeName(e.type)} path:${e.path ?? 'null'}`,
];

/** Data as zkCli prints it: UTF-8 (invalid bytes → U+FFFD), "null" for null data. */
export function dataText(data: Buffer | null): string {
  return data === null ? 'null' : data.toString('utf8');
}

/** A classic hex dump: offset, 16 bytes in hex, printable ASCII. */
export function hexDump(data: Buffer | null): string[] {
  if (data === null) return ['null'];
  const lines: string[] = [];
  for (let off = 0; off < data.length; off += 16) {
    const row = data.subarray(off, off + 16);
    const hexes = [...row].map((b) => b.toString(16).padStart(2, '0'));
    const left = hexes.slice(0, 8).join(' ');
    const right = hexes.slice(8).join(' ');
    const ascii = [...row].map((b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.')).join('');
    lines.push(`${off.toString(16).padStart(8, '0')}  ${left.padEnd(23)}  ${right.padEnd(23)}  |${ascii}|`);
  }
  return lines;
}
