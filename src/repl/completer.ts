import { commandNames, findCommand } from '../commands/index.js';
import { hasUnsafe } from '../output/terminal.js';
import { joinPath, parentPath } from '../zk/path.js';

export interface ChildSource {
  getChildren(path: string): Promise<string[]>;
}

/** Children lists live this long in the cache: completion stays snappy without going stale. */
const TTL_MS = 2000;
/** Completion never holds the prompt longer than this. */
const TIMEOUT_MS = 500;

/**
 * Tab completion derived from the registry: command names, then the command's flags, then znode
 * paths from the server (cached briefly). It never throws into readline.
 */
export class Completer {
  private cache = new Map<string, { at: number; children: string[] }>();

  constructor(private readonly source: () => ChildSource | null) {}

  async complete(line: string): Promise<[string[], string]> {
    try {
      return await this.completeUnsafe(line);
    } catch {
      return [[], line];
    }
  }

  private async completeUnsafe(line: string): Promise<[string[], string]> {
    const words = line.split(/\s+/);
    const current = words[words.length - 1] ?? '';
    if (words.length <= 1) {
      const names = commandNames().filter((n) => n.startsWith(current));
      // A unique command name gets its space, as in bash, so the path can follow at once.
      return [names.length === 1 ? [`${names[0]} `] : names, current];
    }
    const spec = findCommand(words[0]!);
    if (!spec) return [[], current];
    if (current.startsWith('-')) {
      return [Object.values(spec.options).map((o) => `-${o.short}`).filter((f) => f.startsWith(current)), current];
    }
    if (current.startsWith('/') || (current === '' && spec.args.some((a) => a.kind === 'znode'))) {
      return [await this.paths(current || '/'), current || ''];
    }
    return [[], current];
  }

  private async paths(prefix: string): Promise<string[]> {
    const dir = prefix.endsWith('/') ? (prefix.length > 1 ? prefix.slice(0, -1) : '/') : parentPath(prefix);
    const partial = prefix.endsWith('/') ? '' : prefix.slice(prefix.lastIndexOf('/') + 1);
    const children = await this.children(dir);
    // readline prints candidates raw: a name a terminal would act on is never offered.
    return children.filter((c) => c.startsWith(partial) && !hasUnsafe(c)).sort().map((c) => joinPath(dir, c));
  }

  private async children(dir: string): Promise<string[]> {
    const hit = this.cache.get(dir);
    if (hit && Date.now() - hit.at < TTL_MS) return hit.children;
    const src = this.source();
    if (!src) return [];
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<string[]>((resolve) => { timer = setTimeout(() => resolve([]), TIMEOUT_MS); });
    try {
      const children = await Promise.race([src.getChildren(dir).catch(() => []), timeout]);
      this.cache.set(dir, { at: Date.now(), children });
      return children;
    } finally {
      clearTimeout(timer);
    }
  }
}
