import { obj } from '../output/json-shape.js';
import { noMore } from './common.js';
import type { CommandSpec } from './spec.js';

export default {
  name: 'pwd',
  summary: 'print the current path',
  usage: '',
  options: {},
  args: [],
  needsConnection: false,
  help: 'Prints the current path set by `cd` (/ at start). With a chroot it is relative to the chroot.',
  examples: ['pwd'],
  json: obj({ cwd: 'string' }),
  table: 'key/value: cwd',
  async run(ctx, p) {
    noMore(p, 0);
    return { type: 'cwd', path: ctx.shell.cwd, print: true };
  },
} as const satisfies CommandSpec;
