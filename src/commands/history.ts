import { arrayOf, obj } from '../output/json-shape.js';
import { noMore } from './common.js';
import type { CommandSpec } from './spec.js';

export default {
  name: 'history',
  summary: 'list the last 11 commands, numbered for redo',
  usage: '',
  options: {},
  args: [],
  needsConnection: false,
  help: 'Prints "N - command" for the last 11 entries, this one included, as zkCli.',
  examples: ['history'],
  json: obj({ history: arrayOf('string') }),
  table: 'one column of "N - command" lines',
  async run(ctx, p) {
    noMore(p, 0);
    const h = ctx.shell.history();
    return { type: 'lines', name: 'history', lines: h.slice(-11).map((e) => `${e.n} - ${e.line}`) };
  },
} as const satisfies CommandSpec;
