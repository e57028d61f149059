import { OK } from '../output/json-shape.js';
import { noMore } from './common.js';
import type { CommandSpec } from './spec.js';

export default {
  name: 'close',
  summary: 'close the session (its ephemeral nodes go at once)',
  usage: '',
  options: {},
  args: [],
  needsConnection: false,
  help: 'The shell stays open; "connect" opens a new session.',
  examples: ['close'],
  json: OK,
  table: 'prints nothing',
  async run(ctx, p) {
    noMore(p, 0);
    await ctx.shell.close();
    return { type: 'none' };
  },
} as const satisfies CommandSpec;
