import { OK } from '../output/json-shape.js';
import type { CommandSpec } from './spec.js';

export default {
  name: 'quit',
  aliases: ['exit'],
  summary: 'close the session and leave the shell',
  usage: '',
  options: {},
  args: [],
  needsConnection: false,
  help: 'Exits with the status of the previous command, as zkCli. Ctrl-D does the same.',
  examples: ['quit'],
  json: OK,
  table: 'prints nothing',
  async run(ctx) {
    ctx.shell.quit();
    return { type: 'none' };
  },
} as const satisfies CommandSpec;
