// The export format (JSON Lines, versioned): a header line, one record per znode (parents first), an end line.
// Every line is checked here, so a file that is truncated, corrupted, from a newer zk-shell or not an export
// is refused with the line it went wrong on, before anything is written.
import { parsePerms, permsToString } from '../zk/acl.js';
import type { ACL, Stat } from '../zk/jute/records.js';
import { hex } from '../output/zkcli.js';
import { isValidPath } from '../zk/path.js';

export const FORMAT_NAME = 'zk-shell-export';
export const FORMAT_VERSION = 1;

/** A live server reports only persistent and ephemeral nodes to clients; data-dir exports may know more. */
export type NodeKind = 'persistent' | 'ephemeral' | 'container' | 'ttl';
const KINDS: readonly NodeKind[] = ['persistent', 'ephemeral', 'container', 'ttl'];

export interface ExportHeader {
  format: typeof FORMAT_NAME;
  version: number;
  /** The absolute path the records are relative to. */
  root: string;
  /** Where it was read from (connect string, or a data dir). */
  server: string;
  /** The session's last zxid when the export began (0x hex). */
  zxid: string;
  time: string;
  /** Records carry ACLs (false after export --no-acl). */
  acl: boolean;
  note: string;
}

/** One znode. `path` is relative to the root: "" is the root itself, "a/b" a grandchild. */
export interface NodeRecord {
  path: string;
  data: Buffer | null;
  /** Absent when the export was taken with --no-acl. */
  acl?: ACL[];
  kind: NodeKind;
  /** Milliseconds, for kind "ttl". */
  ttl?: number;
  /** The name ends in a 10-digit sequence number: it was most likely created sequential. */
  sequential?: boolean;
  /** Information only; import cannot set it. */
  stat?: Stat;
}

export interface ExportEnd {
  end: true;
  nodes: number;
  /** The highest mzxid among the records: a change after it is not in the export. */
  maxMzxid: string;
  /** Nodes that could not be read (no permission) and are missing from the export. */
  unreadable: number;
}

export const SNAPSHOT_NOTE =
  'not a point-in-time snapshot unless the tree was quiet while it was read; maxMzxid in the end record is the newest change seen';

/** The file is not a valid export; `line` is 1-based. */
export class FormatError extends Error {
  override name = 'FormatError';
  constructor(
    readonly file: string,
    readonly line: number,
    readonly reason: string,
  ) {
    super(`${file}: line ${line}: ${reason}; nothing was written`);
  }
}

export function headerLine(h: ExportHeader): string {
  return JSON.stringify(h);
}

/**
 * One record as JSON, written out by hand: the byte-for-byte result of JSON.stringify on the record
 * object (the round-trip test holds them equal) without building the object, ~3x faster per node.
 */
export function recordLine(r: NodeRecord): string {
  let s = `{"path":${JSON.stringify(r.path)},"data":${r.data === null ? 'null' : `"${r.data.toString('base64')}"`}`;
  if (r.acl) {
    s += ',"acl":[';
    for (let i = 0; i < r.acl.length; i++) {
      const a = r.acl[i]!;
      s += `${i > 0 ? ',' : ''}{"scheme":${JSON.stringify(a.id.scheme)},"id":${JSON.stringify(a.id.id)},"perms":"${permsToString(a.perms)}"}`;
    }
    s += ']';
  }
  s += `,"kind":"${r.kind}"`;
  if (r.ttl !== undefined) s += `,"ttl":${JSON.stringify(r.ttl)}`;
  if (r.sequential) s += ',"sequential":true';
  if (r.stat) s += `,"stat":${statLine(r.stat)}`;
  return `${s}}`;
}

let lastMs = Number.NaN;
let lastIso = '';
/** ISO time of a stat's ms; nodes written together share it, so the last one is kept. */
function isoTime(ms: bigint): string {
  const n = Number(ms);
  if (n !== lastMs) {
    lastIso = new Date(n).toISOString();
    lastMs = n;
  }
  return lastIso;
}

/** JSON.stringify(statJson(s)), without the object. */
export function statLine(s: Stat): string {
  return (
    `{"czxid":"${hex(s.czxid)}","mzxid":"${hex(s.mzxid)}","pzxid":"${hex(s.pzxid)}",` +
    `"ctime":"${isoTime(s.ctime)}","mtime":"${isoTime(s.mtime)}","version":${s.version},` +
    `"cversion":${s.cversion},"aversion":${s.aversion},"ephemeralOwner":"${hex(s.ephemeralOwner)}",` +
    `"dataLength":${s.dataLength},"numChildren":${s.numChildren}}`
  );
}

export function endLine(e: ExportEnd): string {
  return JSON.stringify(e);
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Checks the first line: an export header of a version this zk-shell reads. */
export function parseHeader(file: string, text: string): ExportHeader {
  const fail = (why: string): never => {
    throw new FormatError(file, 1, why);
  };
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return fail('not a zk-shell export (the first line is not a JSON header)');
  }
  if (!isObj(v) || v['format'] !== FORMAT_NAME) return fail(`not a zk-shell export (no "format":"${FORMAT_NAME}")`);
  const version = v['version'];
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) return fail('bad format version');
  if (version > FORMAT_VERSION)
    fail(`written in format version ${version} by a newer zk-shell; this one reads version ${FORMAT_VERSION}`);
  const root = v['root'];
  if (typeof root !== 'string' || !root.startsWith('/') || (root.length > 1 && root.endsWith('/')))
    fail('the header has no valid "root" path');
  return {
    format: FORMAT_NAME,
    version,
    root: root as string,
    server: typeof v['server'] === 'string' ? v['server'] : '',
    zxid: typeof v['zxid'] === 'string' ? v['zxid'] : '0x0',
    time: typeof v['time'] === 'string' ? v['time'] : '',
    acl: v['acl'] !== false,
    note: typeof v['note'] === 'string' ? v['note'] : '',
  };
}

function parseAclJson(v: unknown): ACL[] | string {
  if (!Array.isArray(v) || v.length === 0) return '"acl" must be a non-empty list';
  let key = '';
  for (const e of v) {
    if (!isObj(e) || typeof e['scheme'] !== 'string' || typeof e['id'] !== 'string' || typeof e['perms'] !== 'string')
      return 'an "acl" entry is not {scheme, id, perms}';
    // Lengths first: any character may be in a field, so no separator alone would keep two lists apart.
    key += `${e['scheme'].length},${e['id'].length},${e['perms'].length}:${e['scheme']}${e['id']}${e['perms']}`;
  }
  const known = ACLS.get(key);
  if (known) return known;
  const out: ACL[] = [];
  for (const e of v as Record<string, string>[]) {
    let perms: number;
    try {
      perms = parsePerms(e['perms']!);
    } catch {
      return `bad perms in "acl": ${JSON.stringify(e['perms'])}`;
    }
    out.push({ perms, id: { scheme: e['scheme']!, id: e['id']! } });
  }
  if (ACLS.size < 1024) ACLS.set(key, out);
  return out;
}

/**
 * ACL lists seen, shared by the records that repeat them (nearly every record of an export repeats one of a
 * few): parsed once, not once per record. Nothing changes a record's ACL list after parsing.
 */
const ACLS = new Map<string, ACL[]>();

function badPath(path: string): string {
  const bad = `bad relative path ${JSON.stringify(path)}`;
  if (path.split('/').some((c) => c === '' || c === '.' || c === '..' || c.includes('\0'))) return bad;
  // U+FFFD is what a byte that is not UTF-8 reads as.
  return `${bad}: a character ZooKeeper refuses${path.includes('\ufffd') ? ' (is the file UTF-8?)' : ''}`;
}

/** A record or the end line; throws FormatError naming the line. `hasAcl` is the header's acl flag. */
export function parseLine(file: string, lineNo: number, text: string, hasAcl: boolean): NodeRecord | ExportEnd {
  const fail = (why: string): never => {
    throw new FormatError(file, lineNo, why);
  };
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return fail('not valid JSON (the file is truncated or corrupted)');
  }
  if (!isObj(v)) return fail('not a record');
  if (v['end'] === true) {
    if (typeof v['nodes'] !== 'number') fail('the end record has no node count');
    return {
      end: true,
      nodes: v['nodes'] as number,
      maxMzxid: typeof v['maxMzxid'] === 'string' ? v['maxMzxid'] : '0x0',
      unreadable: typeof v['unreadable'] === 'number' ? v['unreadable'] : 0,
    };
  }
  const path = v['path'];
  if (typeof path !== 'string') return fail('a record without a "path"');
  // ZooKeeper's own rules (empty, "." and ".." names, refused characters) checked here, not by the server midway
  // through the writes; the message says which.
  if (path !== '' && !isValidPath(`/${path}`)) fail(badPath(path));
  const data = v['data'];
  if (data !== null && (typeof data !== 'string' || !BASE64.test(data) || data.length % 4 !== 0))
    fail('"data" is not base64 or null');
  const kind = v['kind'];
  if (!KINDS.includes(kind as NodeKind)) fail(`unknown node kind ${JSON.stringify(kind)}`);
  const rec: NodeRecord = {
    path,
    data: data === null ? null : Buffer.from(data as string, 'base64'),
    kind: kind as NodeKind,
  };
  if (kind === 'ttl') {
    const ttl = v['ttl'];
    if (typeof ttl !== 'number' || !Number.isSafeInteger(ttl) || ttl <= 0) fail('a ttl node needs a positive "ttl"');
    rec.ttl = ttl as number;
  }
  if (v['acl'] !== undefined || hasAcl) {
    const acl = parseAclJson(v['acl']);
    if (typeof acl === 'string') fail(acl);
    rec.acl = acl as ACL[];
  }
  if (v['sequential'] === true) rec.sequential = true;
  return rec;
}

/** "" → the root itself; "a/b" → root + "/a/b". */
export const absolutePath = (root: string, rel: string): string =>
  rel === '' ? root : root === '/' ? `/${rel}` : `${root}/${rel}`;

/** Relative path of `path` under `root` ("" for the root). */
export const relativePath = (root: string, path: string): string =>
  path === root ? '' : path.slice(root === '/' ? 1 : root.length + 1);

/** The parent of a relative path ("" for top-level children), null for the root. */
export const relParent = (rel: string): string | null =>
  rel === '' ? null : rel.slice(0, Math.max(0, rel.lastIndexOf('/')));
