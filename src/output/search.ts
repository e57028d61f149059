// Rendering for tree, find, grep and du: rows are written as they arrive (text, or one JSON object per
// line), or collected into one table. Errors met in the walk go to stderr where they were met; the
// command then fails once the rest is out.
import { CommandFailed, type PathError } from '../commands/spec.js';
import { isPathError, type DuRow, type GrepRow, type SearchResult, type TreeRow } from '../search/results.js';
import { kindOf } from '../search/match.js';
import type { RenderOptions, Sink } from './format.js';
import { jsonText, statJson } from './json.js';
import { utf8Locale } from './locale.js';
import { clearProgressLine } from './progress.js';
import { tablesText, type TableSpec } from './table.js';

/** grep found nothing: exit 1 without a message, as grep(1). */
export class NoMatch extends CommandFailed {
  override name = 'NoMatch';
  constructor() {
    super('');
  }
}

interface Renderer<T> {
  text(row: T): string;
  json(row: T): unknown;
  table: { head: string[]; row(r: T): string[] };
}

const errorJson = (e: PathError): unknown => ({ path: e.path, error: e.error.codeName, message: e.error.cliMessage });

const base = (p: string): string => (p === '/' ? '/' : p.slice(p.lastIndexOf('/') + 1));

export const humanBytes = (n: number): string => {
  const units = ['', 'K', 'M', 'G', 'T'];
  let v = n;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return u === 0 ? String(n) : `${v < 10 ? v.toFixed(1) : Math.round(v)}${units[u]}`;
};

function treeRenderer(stat: boolean, ascii: boolean): Renderer<TreeRow> {
  const [mid, end, bar, gap] = ascii ? ['|-- ', '`-- ', '|   ', '    '] : ['├── ', '└── ', '│   ', '    '];
  const note = (r: TreeRow): string => {
    if (!r.stat) return '';
    const k = kindOf(r.stat);
    const c = r.stat.numChildren;
    return ` [${r.stat.dataLength} B, ${c} ${c === 1 ? 'child' : 'children'}]${k === 'persistent' ? '' : ` (${k})`}`;
  };
  return {
    text: (r) =>
      r.depth === 0
        ? `${r.path}${note(r)}`
        : `${r.ancestorsLast.map((l) => (l ? gap : bar)).join('')}${r.last ? end : mid}${base(r.path)}${note(r)}`,
    json: (r) => ({ path: r.path, depth: r.depth, ...(r.stat ? { stat: statJson(r.stat) } : {}) }),
    table: {
      head: stat ? ['path', 'bytes', 'children', 'kind'] : ['path'],
      row: (r) => {
        const name = `${'  '.repeat(r.depth)}${r.depth === 0 ? r.path : base(r.path)}`;
        return stat && r.stat
          ? [name, String(r.stat.dataLength), String(r.stat.numChildren), kindOf(r.stat)]
          : stat
            ? [name, '', '', '']
            : [name];
      },
    },
  };
}

const foundRenderer: Renderer<string> = {
  text: (p) => p,
  json: (p) => ({ path: p }),
  table: { head: ['path'], row: (p) => [p] },
};

function grepRenderer(mode: 'lines' | 'files' | 'count'): Renderer<GrepRow> {
  const b = (r: GrepRow): object => (r.binary ? { binary: true } : {});
  if (mode === 'files')
    return {
      text: (r) => r.path,
      json: (r) => ({ path: r.path, ...b(r) }),
      table: { head: ['path'], row: (r) => [r.path] },
    };
  if (mode === 'count')
    return {
      text: (r) => `${r.path}: ${r.count}`,
      json: (r) => ({ path: r.path, count: r.count, ...b(r) }),
      table: { head: ['path', 'count'], row: (r) => [r.path, String(r.count)] },
    };
  return {
    text: (r) => `${r.path}: ${r.line}`,
    json: (r) => ({ path: r.path, lineNumber: r.lineNumber, line: r.line, ...b(r) }),
    table: { head: ['path', 'line'], row: (r) => [r.path, r.line ?? ''] },
  };
}

function duRenderer(human: boolean): Renderer<DuRow> {
  const size = (n: number): string => (human ? humanBytes(n) : String(n));
  return {
    text: (r) => `${size(r.bytes)}\t${r.nodes}\t${r.path}`,
    json: (r) => ({ path: r.path, bytes: r.bytes, nodes: r.nodes, depth: r.depth }),
    table: { head: ['bytes', 'nodes', 'path'], row: (r) => [size(r.bytes), String(r.nodes), r.path] },
  };
}

/** du on a terminal: aligned columns and a bar per row, scaled to the largest row (the whole subtree). */
function duBars(rows: readonly DuRow[], human: boolean, width: number, ascii: boolean): string[] {
  const size = (n: number): string => (human ? humanBytes(n) : String(n));
  const max = Math.max(1, ...rows.map((r) => r.bytes));
  const sw = Math.max(5, ...rows.map((r) => size(r.bytes).length));
  const nw = Math.max(5, ...rows.map((r) => String(r.nodes).length));
  const barWidth = Math.max(10, Math.min(30, width - sw - nw - 40));
  return rows.map((r) => {
    const cells = (r.bytes / max) * barWidth;
    const full = Math.floor(cells);
    const bar = ascii ? '#'.repeat(Math.round(cells)) : '█'.repeat(full) + (cells - full >= 0.5 ? '▌' : '');
    return `${size(r.bytes).padStart(sw)}  ${String(r.nodes).padStart(nw)}  ${bar.padEnd(barWidth)}  ${r.path}`;
  });
}

/** Renders a search result; throws CommandFailed after the output when nodes could not be read. */
export async function renderSearch(r: SearchResult, sink: Sink, o: RenderOptions): Promise<void> {
  switch (r.type) {
    case 'tree':
      return emit(r.rows, treeRenderer(r.stat, r.ascii), sink, o, 'tree');
    case 'found':
      return emit(r.rows, foundRenderer, sink, o, 'find');
    case 'grep':
      return emit(r.rows, grepRenderer(r.mode), sink, o, 'grep');
    case 'du':
      return emit<DuRow>(r.rows, duRenderer(r.human), sink, o, 'du', r.top, (rows) =>
        duBars(rows, r.human, o.width ?? 80, !utf8Locale()),
      );
  }
}

async function emit<T extends object | string>(
  rows: AsyncIterable<T | PathError>,
  f: Renderer<T>,
  sink: Sink,
  o: RenderOptions,
  name: string,
  top: number | null = null,
  bars?: (rows: T[]) => string[],
): Promise<void> {
  const errors: PathError[] = [];
  let matched = 0;
  // Whole output at once: tables, --top (sorted at the end), du's bars on a terminal (scaled to the total).
  const barsHere = bars !== undefined && o.format === 'zkcli' && !!process.stdout.isTTY;
  const collect = o.format === 'table' || top !== null || barsHere;
  const kept: T[] = [];
  let batch: string[] = [];
  let last = Date.now();
  const flush = (): void => {
    if (batch.length === 0) return;
    clearProgressLine();
    sink.out(`${batch.join('\n')}\n`);
    batch = [];
    last = Date.now();
  };
  const failedAt = new Set<string>();
  const fail = (e: PathError): void => {
    // A node met twice (listing its children, then reading it) is reported once.
    if (failedAt.has(e.path)) return;
    failedAt.add(e.path);
    errors.push(e);
    if (o.format === 'json') batch.push(jsonText(errorJson(e)));
    else {
      flush();
      clearProgressLine();
      sink.err(`${e.error.cliMessage}\n`);
    }
  };
  try {
    for await (const row of rows) {
      if (isPathError(row)) {
        fail(row);
        continue;
      }
      const tr = row as T & { failed?: PathError['error'] };
      matched++;
      if (collect) kept.push(row);
      else batch.push(o.format === 'json' ? jsonText(f.json(row)) : f.text(row));
      if (typeof row === 'object' && tr.failed) fail({ path: (row as { path: string }).path, error: tr.failed });
      if (batch.length >= 512 || Date.now() - last > 100) flush();
    }
  } finally {
    flush();
  }
  if (collect) {
    let out = kept;
    if (top !== null)
      out = [...kept].sort((a, b) => (b as unknown as DuRow).bytes - (a as unknown as DuRow).bytes).slice(0, top);
    if (o.format === 'table') {
      const t: TableSpec = { head: f.table.head, rows: out.map((x) => f.table.row(x)) };
      sink.out(await tablesText([t], o.width));
    } else if (o.format === 'json') sink.out(out.map((x) => `${jsonText(f.json(x))}\n`).join(''));
    else if (barsHere && bars) sink.out(out.length ? `${bars(out).join('\n')}\n` : '');
    else sink.out(out.map((x) => `${f.text(x)}\n`).join(''));
  }
  if (errors.length > 0)
    throw new CommandFailed(
      `${name}: ${errors.length} node${errors.length === 1 ? '' : 's'} could not be read; the output is incomplete`,
    );
  if (name === 'grep' && matched === 0) throw new NoMatch();
}
