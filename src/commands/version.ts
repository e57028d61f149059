import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { obj } from '../output/json-shape.js';
import { Op } from '../zk/protocol.js';
import { noMore } from './common.js';
import type { CommandSpec } from './spec.js';

/** The newest ZooKeeper release whose requests the client speaks: the latest `since` in the opcode table. */
export const zookeeperProtocol = (): string =>
  Object.values(Op)
    .map((o) => o.since)
    .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }))
    .pop()!;

/** zk-shell's own version, from the package.json above this file (in dist/src or in the bundle); read on first use. */
export const version = (): string => (cached ??= readVersion());
let cached: string | undefined;
function readVersion(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const file = path.join(dir, 'package.json');
    if (fs.existsSync(file)) {
      const pkg = JSON.parse(fs.readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'zk-shell' && pkg.version) return pkg.version;
    }
    const up = path.dirname(dir);
    if (up === dir) return 'unknown';
    dir = up;
  }
}

export default {
  name: 'version',
  summary: 'print the version of zk-shell',
  usage: '',
  options: {},
  args: [],
  needsConnection: false,
  help:
    'Prints "ZooKeeper CLI version: zk-shell-<version>" (zkCli\'s prefix, so scripts keep parsing it). ' +
    'zookeeperProtocol (JSON, table) is the newest ZooKeeper release whose requests the client sends; ' +
    'later releases added none.',
  examples: ['version', 'zk-shell --format json version'],
  json: obj({ version: 'string', zookeeperProtocol: 'string' }),
  table: 'key/value: version, zookeeperProtocol',
  async run(_ctx, p) {
    noMore(p, 0);
    return { type: 'version', version: version(), zookeeperProtocol: zookeeperProtocol() };
  },
} as const satisfies CommandSpec;
