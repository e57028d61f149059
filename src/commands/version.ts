import { createRequire } from 'node:module';
import { noMore } from './common.js';
import type { CommandSpec } from './spec.js';

/** zk-shell's own version, from package.json. */
export const VERSION: string = (createRequire(import.meta.url)('../../../package.json') as { version: string }).version;

export default {
  name: 'version',
  summary: 'print the version of zk-shell',
  usage: '',
  options: {},
  args: [],
  needsConnection: false,
  help: 'Prints "ZooKeeper CLI version: zk-shell-<version>" (zkCli\'s prefix, so scripts keep parsing it).',
  examples: ['version'],
  async run(_ctx, p) {
    noMore(p, 0);
    return { type: 'lines', name: 'version', lines: [`ZooKeeper CLI version: zk-shell-${VERSION}`] };
  },
} as const satisfies CommandSpec;
