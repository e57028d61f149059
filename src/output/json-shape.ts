// The shapes of --format json documents, as data: each command spec names its shape, the man page prints
// it (describeShape) and the tests check real output against it (shapeErrors). No schema library: the
// language is the handful of forms these documents use.

/**
 * A JSON shape. Objects are closed (a key not listed is an error); a key ending in `?` may be absent.
 * `map` is an object with any keys whose values all have one shape. `named` shapes print by name in
 * the man page and are defined once in its OUTPUT FORMATS section.
 */
export type Shape =
  | 'string'
  | 'number'
  | 'integer'
  | 'boolean'
  | 'null'
  | 'any'
  | { readonly literal: string | number | boolean }
  | { readonly array: Shape }
  | { readonly object: Readonly<Record<string, Shape>> }
  | { readonly map: Shape; readonly key?: string }
  | { readonly anyOf: readonly Shape[] }
  | { readonly named: string; readonly shape: Shape };

export const arrayOf = (s: Shape): Shape => ({ array: s });
export const obj = (o: Record<string, Shape>): Shape => ({ object: o });
export const mapOf = (s: Shape, key?: string): Shape => (key ? { map: s, key } : { map: s });
export const anyOf = (...s: Shape[]): Shape => ({ anyOf: s });
export const named = (name: string, shape: Shape): Shape => ({ named: name, shape });
export const literal = (v: string | number | boolean): Shape => ({ literal: v });

/** znode metadata: zxids and the session id as 0x hex strings (64-bit), times as ISO 8601. */
export const STAT = named(
  'Stat',
  obj({
    czxid: 'string',
    mzxid: 'string',
    pzxid: 'string',
    ctime: 'string',
    mtime: 'string',
    version: 'integer',
    cversion: 'integer',
    aversion: 'integer',
    ephemeralOwner: 'string',
    dataLength: 'integer',
    numChildren: 'integer',
  }),
);

/** One ACL entry; perms in zkCli's letters (cdrwa). */
export const ACL_ENTRY = named('AclEntry', obj({ scheme: 'string', id: 'string', perms: 'string' }));

/** A quota node (listquota): StatsTrack keys (count, bytes, countHardLimit, byteHardLimit), -1 when unset. */
export const QUOTA = named('Quota', mapOf(anyOf('integer', 'string'), 'count|bytes|countHardLimit|byteHardLimit'));

/** What commands that print nothing give in JSON. */
export const OK = obj({ ok: literal(true) });

/** Every named shape reachable from `s` (for the man page's definitions), in first-seen order. */
export function namedShapes(s: Shape, into = new Map<string, Shape>()): Map<string, Shape> {
  if (typeof s === 'string' || 'literal' in s) return into;
  if ('named' in s) {
    if (!into.has(s.named)) {
      into.set(s.named, s.shape);
      namedShapes(s.shape, into);
    }
  } else if ('array' in s) namedShapes(s.array, into);
  else if ('map' in s) namedShapes(s.map, into);
  else if ('anyOf' in s) for (const a of s.anyOf) namedShapes(a, into);
  else for (const v of Object.values(s.object)) namedShapes(v, into);
  return into;
}

/** TypeScript-like text: {path: string, stat?: Stat}; named shapes by name unless `expand`. */
export function describeShape(s: Shape, expand = false): string {
  if (typeof s === 'string') return s;
  if ('literal' in s) return JSON.stringify(s.literal);
  if ('named' in s) return expand ? describeShape(s.shape) : s.named;
  if ('array' in s) {
    const inner = describeShape(s.array);
    return typeof s.array === 'object' && 'anyOf' in s.array ? `(${inner})[]` : `${inner}[]`;
  }
  if ('map' in s) return `{${s.key ?? 'key'}: ${describeShape(s.map)}, ...}`;
  if ('anyOf' in s) return s.anyOf.map((a) => describeShape(a)).join(' | ');
  return `{${Object.entries(s.object)
    .map(([k, v]) => `${k}: ${describeShape(v)}`)
    .join(', ')}}`;
}

const typeOf = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);

/** Every way `value` departs from `s` ("$.stat.version: expected integer, got string"); empty when it fits. */
export function shapeErrors(s: Shape, value: unknown, at = '$'): string[] {
  if (s === 'any') return [];
  if (typeof s === 'string') {
    const ok =
      s === 'integer'
        ? Number.isSafeInteger(value)
        : s === 'number'
          ? typeof value === 'number' && Number.isFinite(value)
          : typeOf(value) === s;
    return ok ? [] : [`${at}: expected ${s}, got ${typeOf(value)} ${JSON.stringify(value)?.slice(0, 60)}`];
  }
  if ('literal' in s)
    return value === s.literal
      ? []
      : [`${at}: expected ${JSON.stringify(s.literal)}, got ${JSON.stringify(value)?.slice(0, 60)}`];
  if ('named' in s) return shapeErrors(s.shape, value, at);
  if ('anyOf' in s) {
    const each = s.anyOf.map((a) => shapeErrors(a, value, at));
    if (each.some((e) => e.length === 0)) return [];
    // The closest alternative explains the failure best.
    return each.reduce((a, b) => (b.length < a.length ? b : a));
  }
  if ('array' in s) {
    if (!Array.isArray(value)) return [`${at}: expected an array, got ${typeOf(value)}`];
    return value.flatMap((v, i) => shapeErrors(s.array, v, `${at}[${i}]`));
  }
  if (typeOf(value) !== 'object') return [`${at}: expected an object, got ${typeOf(value)}`];
  const o = value as Record<string, unknown>;
  if ('map' in s) return Object.entries(o).flatMap(([k, v]) => shapeErrors(s.map, v, `${at}.${k}`));
  const errors: string[] = [];
  const known = new Set<string>();
  for (const [rawKey, sub] of Object.entries(s.object)) {
    const optional = rawKey.endsWith('?');
    const key = optional ? rawKey.slice(0, -1) : rawKey;
    known.add(key);
    if (!(key in o)) {
      if (!optional) errors.push(`${at}.${key}: missing`);
      continue;
    }
    errors.push(...shapeErrors(sub, o[key], `${at}.${key}`));
  }
  for (const k of Object.keys(o)) if (!known.has(k)) errors.push(`${at}.${k}: not in the documented shape`);
  return errors;
}
