// find's tests, compiled once from the options: names and paths by glob (picomatch) or regular
// expression, node kinds and times from the stat. Bad input is a usage error before anything is read.
import type v8 from 'node:v8';
import { builtin } from '../zk/builtin.js';
import { endsInSequence } from '../zk/path.js';
import picomatch from 'picomatch';
import { UsageError } from '../commands/spec.js';
import type { Stat } from '../zk/jute/records.js';

export type NodeKind = 'p' | 'e' | 's' | 'c' | 't';
const KINDS: Record<NodeKind, string> = { p: 'persistent', e: 'ephemeral', s: 'sequential', c: 'container', t: 'TTL' };

/** ZooKeeper's EphemeralType: a container's ephemeralOwner is Long.MIN_VALUE, a TTL node's top byte is 0xff. */
export function kindOf(stat: Stat): 'persistent' | 'ephemeral' | 'container' | 'ttl' {
  const owner = BigInt.asUintN(64, stat.ephemeralOwner);
  if (owner === 0n) return 'persistent';
  if (owner === 0x8000000000000000n) return 'container';
  if (owner >> 56n === 0xffn) return 'ttl';
  return 'ephemeral';
}

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60000, h: 3600000, d: 86400000, w: 604800000 };

/** `90s`, `15m`, `2h`, `7d`, `1w` (a bare number is seconds) → milliseconds. */
export function parseDuration(text: string, option: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h|d|w)?$/.exec(text.trim());
  if (!m) throw new UsageError(`${option}: not a duration: ${text} (e.g. 90s, 15m, 2h, 7d)`);
  return Number(m[1]) * UNITS[m[2] ?? 's']!;
}

export function compileGlob(glob: string, option: string): (s: string) => boolean {
  try {
    return picomatch(glob, { dot: true, strictBrackets: true });
  } catch (e) {
    throw new UsageError(`${option}: bad glob ${glob}: ${(e as Error).message}`);
  }
}

// A typed pattern such as (a+)+$ backtracks exponentially, and a running match cannot be stopped by
// Ctrl-C. V8 then switches to its linear-time engine (patterns without lookaround or backreferences).
let linearFallback = false;

export function compileRegex(re: string, option: string, flags = ''): RegExp {
  if (!linearFallback) {
    builtin<typeof v8>('node:v8')().setFlagsFromString('--enable-experimental-regexp-engine-on-excessive-backtracks');
    linearFallback = true;
  }
  try {
    return new RegExp(re, flags);
  } catch (e) {
    throw new UsageError(
      `${option}: bad regular expression: ${(e as Error).message.replace(/^Invalid regular expression: /, '')}`,
    );
  }
}

export interface FindTests {
  /** Tests on the path alone. */
  byPath(path: string): boolean;
  /** Tests on the stat; null when no test needs it (then no stat is read). */
  byStat: ((path: string, stat: Stat) => boolean) | null;
}

export interface FindOptions {
  name?: string | undefined;
  path?: string | undefined;
  regex?: string | undefined;
  type?: string | undefined;
  empty?: boolean | undefined;
  newerThan?: string | undefined;
}

export function compileFind(o: FindOptions, now = Date.now()): FindTests {
  const tests: ((p: string) => boolean)[] = [];
  const base = (p: string): string => p.slice(p.lastIndexOf('/') + 1);
  if (o.name !== undefined) {
    const m = compileGlob(o.name, '-name');
    tests.push((p) => m(base(p)));
  }
  if (o.path !== undefined) tests.push(compileGlob(o.path, '-path'));
  if (o.regex !== undefined) {
    // find(1): the expression must match the whole path. It is checked alone first: `a)|(b` is invalid,
    // but wrapped it would be valid and match any path starting with a (and the error would show the wrapper).
    compileRegex(o.regex, '-regex');
    const re = compileRegex(`^(?:${o.regex})$`, '-regex');
    tests.push((p) => re.test(p));
  }
  const statTests: ((p: string, s: Stat) => boolean)[] = [];
  if (o.type !== undefined) {
    const kinds = o.type.split(',');
    for (const k of kinds)
      if (!(k in KINDS))
        throw new UsageError(
          `-type: unknown type ${k} (${Object.entries(KINDS)
            .map(([l, n]) => `${l} ${n}`)
            .join(', ')})`,
        );
    const want = new Set(kinds as NodeKind[]);
    // A sequential node's name ends in the server's 10-digit counter (the stat does not record the mode).
    if (want.size === 1 && want.has('s')) tests.push((p) => endsInSequence(p));
    else
      statTests.push((p, s) => {
        const k = kindOf(s);
        return (
          (want.has('s') && endsInSequence(p)) ||
          (want.has('p') && k === 'persistent') ||
          (want.has('e') && k === 'ephemeral') ||
          (want.has('c') && k === 'container') ||
          (want.has('t') && k === 'ttl')
        );
      });
  }
  if (o.empty) statTests.push((_, s) => s.dataLength === 0 && s.numChildren === 0);
  if (o.newerThan !== undefined) {
    const since = now - parseDuration(o.newerThan, '-newer-than');
    statTests.push((_, s) => Number(s.mtime) >= since);
  }
  return {
    byPath: (p) => tests.every((t) => t(p)),
    byStat: statTests.length ? (p, s) => statTests.every((t) => t(p, s)) : null,
  };
}
