import { CommandFailed, UsageError, type CommandResult, type OutputFormat, type PathError } from '../commands/spec.js';
import { jsonText, resultJson } from './json.js';
import { ZkError } from '../zk/errors.js';
import { renderCluster } from './cluster-view.js';
import { renderRecipe } from './recipe-view.js';
import { resultTables, tablesText } from './table.js';
import { renderStream, transferText } from './backup.js';
import { SEARCH_TYPES, type SearchResult } from '../search/results.js';
import { clearProgressLine } from './progress.js';
import { aclLines, childrenList, dataText, hexDump, statLines } from './zkcli.js';
import { liveText } from './live-results.js';
import { isNavResult, navText } from './nav-output.js';

/** Where rendered text goes: results to out, messages zkCli prints on stderr (e.g. "Created /x") to err. */
export interface Sink {
  out(text: string): void;
  /** Replaces what the terminal shows (clears, then writes); only when stdout is a terminal. */
  screen?(text: string): void;
  /** Errors (red on a terminal with colour). */
  err(text: string): void;
  /** Messages on stderr that are not errors ("Created /x", notes): never coloured as errors. Default: err. */
  note?(text: string): void;
}

const note = (sink: Sink, text: string): void => (sink.note ? sink.note(text) : sink.err(text));

/** Text is rendered as it is; the shell's sinks make it safe for a terminal (output/terminal.ts). */
export interface RenderOptions {
  format: OutputFormat;
  /** Tables are fitted to this many columns; undefined: natural widths (see tableWidth). */
  width?: number | undefined;
}

/**
 * The width tables fit: the terminal's when stdout is one, else $COLUMNS when set, else none (piped
 * tables keep whole values on one line, for grep and awk).
 */
export function tableWidth(
  stdout: { isTTY?: boolean; columns?: number } = process.stdout,
  env = process.env,
): number | undefined {
  if (stdout.isTTY && stdout.columns) return stdout.columns;
  const c = Number(env['COLUMNS']);
  return Number.isInteger(c) && c > 0 ? c : undefined;
}

const lines = (l: readonly string[]): string => (l.length ? `${l.join('\n')}\n` : '');

/** Results render() hands to a renderer of their own (each may wait: imports, streams, tables). */
const OWN_RENDERER = new Set<string>(['cluster', 'recipe', 'paths', 'txns', 'stream', ...SEARCH_TYPES]);

type PlainResult = Exclude<
  CommandResult,
  { type: 'paths' | 'txns' | 'cluster' | 'recipe' | 'stream' | 'streamed' } | SearchResult
>;

/**
 * Renders a result whose text needs no waiting (zkCli's or JSON, not a table) and returns true; false: use
 * render. A script renders its batches' results (10,000 "Created" lines) here, without a promise each.
 */
export function renderNow(r: CommandResult, sink: Sink, o: RenderOptions): boolean {
  if (r.type === 'streamed') return true;
  if (o.format === 'table' || OWN_RENDERER.has(r.type)) return false;
  const one = r as PlainResult;
  if (o.format === 'json') sink.out(`${jsonText(resultJson(one))}\n`);
  else zkcliText(one, sink);
  return true;
}

/** Renders one result. Streams `paths` results in batches so memory stays flat. */
export async function render(r: CommandResult, sink: Sink, o: RenderOptions): Promise<void> {
  if (renderNow(r, sink, o)) return;
  if (r.type === 'cluster') return renderCluster(r, sink, o);
  if (r.type === 'recipe') return renderRecipe(r.view, sink, o);
  if (r.type === 'paths') {
    // Refused before the walk starts: the listing is lazy, so nothing has been read yet.
    if (o.format === 'table') throw new UsageError('ls -R has no table form (it streams); use --format zkcli or json');
    await renderPaths(r.path, r.paths, sink, o.format === 'json');
    return;
  }
  if (r.type === 'txns') {
    const { renderTxns } = await import('./txnlog-text.js');
    await renderTxns(r, sink, o.format, o.width);
    return;
  }
  if (r.type === 'stream') return renderStream(r, sink);
  if (SEARCH_TYPES.has(r.type)) {
    const { renderSearch } = await import('./search.js');
    return renderSearch(r as SearchResult, sink, o);
  }
  // A table (renderNow took zkCli's text and JSON). zkCli's message for create goes to stderr in every
  // format but JSON.
  if (r.type === 'created') note(sink, `Created ${r.path}\n`);
  if (r.type === 'lines' && r.stderr) {
    note(sink, lines(r.lines));
    return;
  }
  sink.out(await tablesText(resultTables(r) ?? [], o.width));
}

/**
 * Streams a subtree listing. A node that could not be listed is reported where the walk met it (stderr
 * in zkCli's wording; an `errors` array in JSON) and the command then fails: zkCli stops at the first
 * such node with exit 1, zk-shell lists the rest and still exits 1.
 */
async function renderPaths(
  root: string,
  paths: AsyncIterable<string | PathError | readonly (string | PathError)[]>,
  sink: Sink,
  json: boolean,
): Promise<void> {
  let batch: string[] = [];
  let first = true;
  const errors: PathError[] = [];
  let complete = false;
  let stopped: unknown = null;
  if (json) sink.out(`{"path":${jsonText(root)},"paths":[`);
  const flush = (): void => {
    if (batch.length === 0) return;
    clearProgressLine();
    if (json) {
      sink.out((first ? '\n' : ',\n') + batch.map((p) => jsonText(p)).join(',\n'));
      first = false;
    } else {
      sink.out(lines(batch));
    }
    batch = [];
  };
  try {
    const one = (p: string | PathError): void => {
      if (typeof p === 'string') {
        batch.push(p);
        if (batch.length >= 4096) flush();
        return;
      }
      flush();
      errors.push(p);
      if (!json) sink.err(`${p.error.cliMessage}\n`);
    };
    for await (const item of paths) {
      if (Array.isArray(item)) for (const p of item as readonly (string | PathError)[]) one(p);
      else one(item as string | PathError);
    }
    complete = true;
  } catch (e) {
    flush();
    if (!json) sink.err(`the listing stopped at the error below; the paths above are all that was listed\n`);
    stopped = e;
    throw e;
  } finally {
    flush();
    if (json) {
      const errs = errors.map((e) => jsonText({ path: e.path, error: e.error.codeName, message: e.error.cliMessage }));
      // A listing cut short says so in the document itself, not only on stderr.
      if (stopped !== null)
        errs.push(
          jsonText({
            path: null,
            error: stopped instanceof ZkError ? stopped.codeName : 'STOPPED',
            message: stopped instanceof ZkError ? stopped.cliMessage : String((stopped as Error).message ?? stopped),
          }),
        );
      sink.out(
        `\n]${errs.length ? `,"errors":[${errs.join(',')}]` : ''}${stopped !== null ? ',"incomplete":true' : ''}}\n`,
      );
    }
  }
  if (complete && errors.length > 0) {
    throw new CommandFailed(
      `${errors.length} node${errors.length === 1 ? '' : 's'} could not be listed; the listing is incomplete`,
    );
  }
}

function zkcliText(
  r: Exclude<CommandResult, { type: 'paths' | 'txns' | 'cluster' | 'recipe' | 'stream' } | SearchResult>,
  sink: Sink,
): void {
  if (isNavResult(r)) {
    const t = navText(r);
    sink.out(lines(t.out));
    if (t.note.length) note(sink, lines(t.note));
    return;
  }
  switch (r.type) {
    case 'none':
    case 'streamed':
      return;
    case 'children':
      sink.out(lines([childrenList(r.children), ...(r.stat ? statLines(r.stat) : [])]));
      return;
    case 'data': {
      const body =
        r.encoding === 'hex'
          ? hexDump(r.data)
          : r.encoding === 'base64'
            ? [r.data === null ? 'null' : r.data.toString('base64')]
            : [dataText(r.data)];
      sink.out(lines([...body, ...(r.stat ? statLines(r.stat) : [])]));
      return;
    }
    case 'stat':
      sink.out(lines(statLines(r.stat)));
      return;
    case 'acl':
      sink.out(lines([...aclLines(r.acl), ...(r.stat ? statLines(r.stat) : [])]));
      return;
    case 'created':
      note(sink, `Created ${r.path}\n`);
      if (r.stat) sink.out(lines(statLines(r.stat)));
      return;
    case 'number':
      sink.out(`${r.value}\n`);
      return;
    case 'lines':
      if (r.stderr) note(sink, lines(r.lines));
      else sink.out(lines(r.lines));
      return;
    case 'ephemerals':
      sink.out(`[${r.paths.join(', ')}]\n`);
      return;
    case 'whoami':
      sink.out(lines(['Auth scheme: User', ...r.identities.map((i) => `${i.scheme}: ${i.user}`)]));
      return;
    case 'config':
      // Standalone servers have an empty config: zkCli prints nothing at all.
      if (r.text.length) sink.out(r.text.endsWith('\n') ? r.text : `${r.text}\n`);
      if (r.stat) sink.out(lines(statLines(r.stat)));
      return;
    case 'quota':
      sink.out(lines([`Output quota for ${r.path} ${r.limits}`, `Output stat for ${r.path} ${r.stats}`]));
      return;
    case 'flw':
      sink.out(r.text.endsWith('\n') || r.text.length === 0 ? r.text : `${r.text}\n`);
      return;
    case 'admin':
      sink.out(`${jsonText(r.body, 2)}\n`);
      return;
    case 'version':
      sink.out(`ZooKeeper CLI version: zk-shell-${r.version}\n`);
      return;
    case 'txn':
    case 'session':
    case 'clients':
      sink.out(lines(liveText(r)));
      return;
    case 'transfer':
      sink.out(transferText(r));
      return;
  }
}
