// Two record streams in walk order, merged: a node only in A is removed, only in B added, in both compared.
// Memory holds one record of each side, whatever the trees' size.
import { structuredPatch } from 'diff';
import { comparePreorder } from '../tree/walk.js';
import { differences, type CompareOptions, type Field } from './compare.js';
import type { NodeRecord } from './format.js';

export type Difference =
  | { change: 'added' | 'removed'; path: string }
  | { change: 'changed'; path: string; fields: Field[]; a: NodeRecord; b: NodeRecord };

/** "" → "/", "a/b" → "/a/b": paths relative to the two roots, written as paths. */
export const shown = (rel: string): string => `/${rel}`;

/** Checks that a stream is in walk order (merging needs it); `name` names the side in the error. */
async function* inOrder(
  records: AsyncIterable<NodeRecord>,
  onDisorder: (path: string) => Error,
): AsyncGenerator<NodeRecord> {
  let prev: string | null = null;
  for await (const r of records) {
    const p = shown(r.path);
    if (prev !== null && comparePreorder(prev, p) >= 0) throw onDisorder(p);
    prev = p;
    yield r;
  }
}

export async function* diffTrees(
  a: AsyncIterable<NodeRecord>,
  b: AsyncIterable<NodeRecord>,
  o: CompareOptions,
  onDisorder: (side: 'A' | 'B', path: string) => Error,
): AsyncGenerator<Difference> {
  const ia = inOrder(a, (p) => onDisorder('A', p))[Symbol.asyncIterator]();
  const ib = inOrder(b, (p) => onDisorder('B', p))[Symbol.asyncIterator]();
  let ra = await ia.next();
  let rb = await ib.next();
  while (!ra.done || !rb.done) {
    const c = ra.done ? 1 : rb.done ? -1 : comparePreorder(shown(ra.value.path), shown(rb.value.path));
    if (c < 0 && !ra.done) {
      yield { change: 'removed', path: shown(ra.value.path) };
      ra = await ia.next();
    } else if (c > 0 && !rb.done) {
      yield { change: 'added', path: shown(rb.value.path) };
      rb = await ib.next();
    } else if (!ra.done && !rb.done) {
      const fields = differences(ra.value, rb.value, o);
      if (fields.length) yield { change: 'changed', path: shown(ra.value.path), fields, a: ra.value, b: rb.value };
      [ra, rb] = await Promise.all([ia.next(), ib.next()]);
    }
  }
}

const TEXT_LIMIT = 256 * 1024;

/** Data as text when both sides are printable UTF-8 of reasonable size, else null. */
function asText(d: Buffer | null): string | null {
  const buf = d ?? Buffer.alloc(0);
  if (buf.length > TEXT_LIMIT) return null;
  const s = buf.toString('utf8');
  if (!Buffer.from(s, 'utf8').equals(buf) || /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/.test(s)) return null;
  return s;
}

/** A unified diff of the data (hunks only, each line indented by four spaces), or a size line for binary data. */
export function dataDiffLines(a: Buffer | null, b: Buffer | null): string[] {
  const ta = asText(a);
  const tb = asText(b);
  if (ta === null || tb === null) return [`    binary data: ${a?.length ?? 0} bytes → ${b?.length ?? 0} bytes`];
  const patch = structuredPatch(
    'A',
    'B',
    ta.endsWith('\n') ? ta : `${ta}\n`,
    tb.endsWith('\n') ? tb : `${tb}\n`,
    '',
    '',
    {
      context: 3,
    },
  );
  const out: string[] = [];
  for (const h of patch.hunks) {
    out.push(`    @@ -${h.oldStart},${h.oldLines} +${h.newStart},${h.newLines} @@`);
    for (const l of h.lines) out.push(`    ${l}`);
  }
  return out;
}
