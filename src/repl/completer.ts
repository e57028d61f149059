import { commandNames, findCommand } from '../commands/index.js';
import type { CommandSpec } from '../commands/spec.js';
import { optionWords } from '../commands/common.js';
import { hasUnsafe } from '../output/terminal.js';
import { FOUR_LETTER_WORDS } from '../zk/four-letter.js';
import { ADMIN_COMMANDS } from '../commands/admin.js';
import { joinPath, parentPath } from '../zk/path.js';
import { resolvePath } from '../shell/resolve-paths.js';

/** What the tokenizer would split on or unquote, backslash-escaped so a completed name stays one word. */
const escapeWord = (w: string): string => w.replace(/[\s'"\\]/g, '\\$&');
const unescapeWord = (w: string): string => w.replace(/\\(.)/g, '$1');

export interface ChildSource {
  getChildren(path: string): Promise<string[]>;
  exists(path: string): Promise<{ numChildren: number } | null>;
}

/** Words some arguments take, offered as they are (the command accepts them in any case). */
const ADD_WATCH_MODES = ['PERSISTENT', 'PERSISTENT_RECURSIVE'];

/** What the word being typed is, given the words before it: an option's value or the n-th positional. */
function position(spec: CommandSpec, before: readonly string[]): { optionValue: string } | { arg: number } {
  const byShort = new Map(Object.values(spec.options).flatMap((o) => optionWords(o).map((w) => [w, o] as const)));
  let arg = 0;
  for (let i = 0; i < before.length; i++) {
    const o = spec.raw ? undefined : byShort.get(before[i]!);
    if (!o) {
      arg++;
      continue;
    }
    if (o.type === 'string') {
      if (i === before.length - 1) return { optionValue: o.short ?? o.long ?? '' };
      i++;
    }
  }
  return { arg };
}

/** Children lists live this long in the cache: completion stays snappy without going stale. */
const TTL_MS = 2000;
/** Completion never holds the prompt longer than this. */
const TIMEOUT_MS = 500;
/** Up to this many candidates are looked at for children (trailing "/"). */
const MARK_LIMIT = 200;

/**
 * Tab completion derived from the registry: command names, then the command's flags, then znode
 * paths from the server (cached briefly). It never throws into readline.
 */
export class Completer {
  private cache = new Map<string, { at: number; children: string[] }>();

  /** `cwd`: the shell's current path, which relative words complete against. */
  constructor(
    private readonly source: () => ChildSource | null,
    private readonly cwd: () => string = () => '/',
  ) {}

  async complete(line: string): Promise<[string[], string]> {
    try {
      return await this.completeUnsafe(line);
    } catch {
      return [[], line];
    }
  }

  private async completeUnsafe(line: string): Promise<[string[], string]> {
    // A backslash-escaped space (`my\ node`, as completion writes it) does not end a word.
    const words = line.split(/(?<!\\)\s+/);
    const current = words[words.length - 1] ?? '';
    if (words.length <= 1) {
      const names = commandNames().filter((n) => n.startsWith(current));
      // A unique command name gets its space, as in bash, so the path can follow at once.
      return [names.length === 1 ? [`${names[0]} `] : names, current];
    }
    const spec = findCommand(words[0]!);
    if (!spec) return [[], current];
    const pick = (list: readonly string[]): [string[], string] => [list.filter((w) => w.startsWith(current)), current];
    if (current.startsWith('-')) return pick(Object.values(spec.options).flatMap(optionWords));
    const at = position(spec, words.slice(1, -1));
    if ('optionValue' in at)
      return spec.name === 'addWatch' && at.optionValue === 'm' ? pick(ADD_WATCH_MODES) : [[], current];
    // help's argument is a command; "4lw" (not its aliases such as "ruok") takes the word first.
    if (spec.name === 'help') return at.arg === 0 ? pick(commandNames()) : [[], current];
    if (spec.name === '4lw' && words[0] === '4lw') return at.arg === 0 ? pick(FOUR_LETTER_WORDS) : [[], current];
    // admin takes its words raw: the command name first.
    if (spec.name === 'admin') return words.length === 2 ? pick(ADMIN_COMMANDS) : [[], current];
    // Paths only where the command takes one: never a second path after "get /x ".
    const kind = spec.args[at.arg]?.kind;
    if (kind === 'znode' || (kind === 'endpoint' && !/^(zk:|data:|file:)|\.jsonl/.test(current))) {
      const cwd = this.cwd();
      // At / an empty word completes absolute paths (as before cd existed); elsewhere, names relative to it.
      const typed = unescapeWord(current);
      const found =
        typed.startsWith('/') || (typed === '' && cwd === '/')
          ? await this.paths(typed || '/')
          : await this.relative(typed, cwd);
      return [found.map(escapeWord), current];
    }
    return [[], current];
  }

  private async paths(prefix: string): Promise<string[]> {
    const dir = prefix.endsWith('/') ? (prefix.length > 1 ? prefix.slice(0, -1) : '/') : parentPath(prefix);
    const partial = prefix.endsWith('/') ? '' : prefix.slice(prefix.lastIndexOf('/') + 1);
    const children = await this.children(dir);
    // readline prints candidates raw: a name a terminal would act on is never offered.
    const found = children
      .filter((c) => c.startsWith(partial) && !hasUnsafe(c))
      .sort()
      .map((c) => joinPath(dir, c));
    // A node with children gets a trailing "/" (as a directory in bash), so Tab goes on into it.
    // Not for a huge list: one exists() per name would hold the prompt.
    if (found.length > MARK_LIMIT) return found;
    return Promise.all(found.map(async (p) => ((await this.numChildren(p)) > 0 ? `${p}/` : p)));
  }

  /**
   * A relative word (`cf`, `../sib`, `x/y`): the children of the node its directory part names, offered
   * in the form typed; `.` and `..` complete to `./` and `../`, so Tab goes on from there.
   */
  private async relative(word: string, cwd: string): Promise<string[]> {
    const cut = word.lastIndexOf('/') + 1;
    const dirPart = word.slice(0, cut);
    const partial = word.slice(cut);
    const dir = resolvePath(cwd, dirPart || '.');
    const prefix = partial === '' ? (dir === '/' ? '/' : `${dir}/`) : joinPath(dir, partial);
    const strip = dir === '/' ? 1 : dir.length + 1;
    const found = (await this.paths(prefix)).map((p) => dirPart + p.slice(strip));
    // `.` and `..` are no children: offered as `./` and `../` when the word begins one of them.
    const dots = partial === '' ? [] : ['./', '../'].filter((d) => d.startsWith(partial)).map((d) => dirPart + d);
    return [...dots, ...found];
  }

  /** Only for the few names offered: one exists() each, bounded like the listing. */
  private async numChildren(path: string): Promise<number> {
    if (this.cache.get(path)?.children.length) return 1;
    const src = this.source();
    if (!src) return 0;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<null>((resolve) => {
      timer = setTimeout(() => resolve(null), TIMEOUT_MS);
    });
    try {
      const stat = await Promise.race([src.exists(path).catch(() => null), timeout]);
      return stat?.numChildren ?? 0;
    } finally {
      clearTimeout(timer);
    }
  }

  private async children(dir: string): Promise<string[]> {
    const hit = this.cache.get(dir);
    if (hit && Date.now() - hit.at < TTL_MS) return hit.children;
    const src = this.source();
    if (!src) return [];
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<string[]>((resolve) => {
      timer = setTimeout(() => resolve([]), TIMEOUT_MS);
    });
    try {
      const children = await Promise.race([src.getChildren(dir).catch(() => []), timeout]);
      this.cache.set(dir, { at: Date.now(), children });
      return children;
    } finally {
      clearTimeout(timer);
    }
  }
}
