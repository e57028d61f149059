// Renderers for the navigation commands (cd, pwd, exists, edit, mv), kept apart from the shared switches.
import type { CommandResult } from '../commands/spec.js';
import { statJson } from './json.js';
import type { TableSpec } from './table.js';
import { statLines } from './zkcli.js';

export type NavResult = Extract<CommandResult, { type: 'cwd' | 'exists' | 'edited' | 'moved' }>;

export const isNavResult = (r: CommandResult): r is NavResult =>
  r.type === 'cwd' || r.type === 'exists' || r.type === 'edited' || r.type === 'moved';

/** The zkcli format: results on stdout, messages (like zkCli's "Created /x") on stderr. */
export function navText(r: NavResult): { out: string[]; note: string[] } {
  switch (r.type) {
    case 'cwd':
      return { out: r.print ? [r.path] : [], note: [] };
    case 'exists':
      return { out: r.print && r.stat ? statLines(r.stat) : [], note: [] };
    case 'edited':
      return { out: [], note: [r.changed ? `Updated ${r.path}` : `No change to ${r.path}`] };
    case 'moved':
      return { out: [], note: [`Moved ${r.from} to ${r.to} (${r.nodes} node${r.nodes === 1 ? '' : 's'})`] };
  }
}

export function navJson(r: NavResult): unknown {
  switch (r.type) {
    case 'cwd':
      return { cwd: r.path };
    case 'exists':
      return r.stat && r.print
        ? { path: r.path, exists: true, stat: statJson(r.stat) }
        : { path: r.path, exists: r.stat !== null };
    case 'edited':
      return r.stat
        ? { path: r.path, changed: r.changed, stat: statJson(r.stat) }
        : { path: r.path, changed: r.changed };
    case 'moved':
      return { from: r.from, to: r.to, nodes: r.nodes };
  }
}

const kv = (rows: [string, string][]): TableSpec => ({ head: ['key', 'value'], rows });

export function navTables(r: NavResult): TableSpec[] {
  switch (r.type) {
    case 'cwd':
      return [kv([['cwd', r.path]])];
    case 'exists': {
      const stat =
        r.print && r.stat
          ? statLines(r.stat).map((l): [string, string] => [l.split(' = ')[0]!, l.slice(l.indexOf(' = ') + 3)])
          : [];
      return [kv([['path', r.path], ['exists', String(r.stat !== null)], ...stat])];
    }
    case 'edited':
      return [
        kv([
          ['path', r.path],
          ['changed', String(r.changed)],
        ]),
      ];
    case 'moved':
      return [
        kv([
          ['from', r.from],
          ['to', r.to],
          ['nodes', String(r.nodes)],
        ]),
      ];
  }
}

/** A result that exits non-zero with no error message (exists on a missing node, like test -e). */
export const silentFailure = (r: CommandResult): boolean => r.type === 'exists' && r.stat === null;
