// --format json: one stable document per command (documented in the man page).
import type { CommandResult } from '../commands/spec.js';
import type { SearchResult } from '../search/results.js';
import { permsToString } from '../zk/acl.js';
import type { Stat } from '../zk/jute/records.js';
import { parseStatsTrack } from '../commands/quota-util.js';
import { clusterJson } from './cluster-view.js';
import { flwFields } from './four-letter-json.js';
import { BIDI } from './terminal.js';
import { hex } from './zkcli.js';
import { liveJson } from './live-results.js';
import { transferJson } from './backup.js';
import { isNavResult, navJson } from './nav-output.js';

export function statJson(s: Stat): Record<string, unknown> {
  return {
    czxid: hex(s.czxid),
    mzxid: hex(s.mzxid),
    pzxid: hex(s.pzxid),
    ctime: new Date(Number(s.ctime)).toISOString(),
    mtime: new Date(Number(s.mtime)).toISOString(),
    version: s.version,
    cversion: s.cversion,
    aversion: s.aversion,
    ephemeralOwner: hex(s.ephemeralOwner),
    dataLength: s.dataLength,
    numChildren: s.numChildren,
  };
}

/** Data as UTF-8 text when it is valid UTF-8, else base64; the encoding is named. */
export function dataJson(data: Buffer | null): { data: string | null; encoding: 'utf8' | 'base64' | null } {
  if (data === null) return { data: null, encoding: null };
  const text = data.toString('utf8');
  if (Buffer.from(text, 'utf8').equals(data)) return { data: text, encoding: 'utf8' };
  return { data: data.toString('base64'), encoding: 'base64' };
}

const JSON_ESCAPE = new RegExp(`[\u007f-\u009f\u2028\u2029${BIDI}]`, 'g');

/**
 * JSON.stringify, with DEL, C1 controls, bidi controls and the JS line separators also written as \uXXXX (JSON.stringify
 * escapes only U+0000–U+001F): the document means the same and holds no byte a terminal acts on.
 */
export function jsonText(value: unknown, indent?: number): string {
  return JSON.stringify(value, null, indent).replace(
    JSON_ESCAPE,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** A quota node's text as numbers (decimal strings past 2^53), keyed as ZooKeeper's StatsTrack. */
function quotaJson(text: string | null): Record<string, number | string> | null {
  if (text === null) return null;
  const out: Record<string, number | string> = {};
  for (const [k, v] of Object.entries(parseStatsTrack(text)))
    out[k] = Number.isSafeInteger(Number(v)) ? Number(v) : String(v);
  return out;
}

const withStat = (o: Record<string, unknown>, s: Stat | undefined): Record<string, unknown> =>
  s ? { ...o, stat: statJson(s) } : o;

/** The JSON document for a result; `paths` results are streamed by the caller, not built here. */
export function resultJson(r: Exclude<CommandResult, { type: 'paths' | 'txns' | 'stream' } | SearchResult>): unknown {
  if (isNavResult(r)) return navJson(r);
  switch (r.type) {
    case 'none':
    case 'streamed':
      return { ok: true };
    case 'children':
      return withStat({ path: r.path, children: [...r.children].sort() }, r.stat);
    case 'data':
      return withStat({ path: r.path, ...dataJson(r.data) }, r.stat);
    case 'stat':
      return { path: r.path, stat: statJson(r.stat) };
    case 'acl':
      return withStat(
        { path: r.path, acl: r.acl.map((a) => ({ scheme: a.id.scheme, id: a.id.id, perms: permsToString(a.perms) })) },
        r.stat,
      );
    case 'created':
      return withStat({ created: r.path }, r.stat);
    case 'number':
      return { path: r.path, count: r.value };
    case 'lines':
      return { [r.name]: r.lines };
    case 'ephemerals':
      return { ephemerals: r.paths };
    case 'whoami':
      return { identities: r.identities };
    case 'config':
      return withStat({ config: r.text }, r.stat);
    case 'quota':
      return { path: r.path, limits: quotaJson(r.limits), stats: quotaJson(r.stats) };
    case 'flw':
      return { word: r.word, server: r.server, ...flwFields(r.word, r.text) };
    case 'admin':
      return { command: r.command, status: r.status, response: r.body };
    case 'txn':
    case 'session':
    case 'clients':
      return liveJson(r);
    case 'version':
      return { version: r.version, zookeeperProtocol: r.zookeeperProtocol };
    case 'cluster':
      return clusterJson(r);
    case 'recipe':
      return r.view;
    case 'transfer':
      return transferJson(r);
  }
}
