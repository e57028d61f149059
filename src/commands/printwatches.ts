import { anyOf, arrayOf, obj, OK } from '../output/json-shape.js';
import { arg } from './common.js';
import { UsageError, type CommandSpec } from './spec.js';

export default {
  name: 'printwatches',
  summary: 'turn the printing of watch events on or off',
  usage: 'on|off',
  options: {},
  args: [arg('on|off', 'word', true)],
  needsConnection: false,
  help: 'Without an argument prints "printwatches is on" or "…off".',
  examples: ['printwatches off'],
  json: anyOf(obj({ printwatches: arrayOf('string') }), OK),
  table: 'one column "printwatches is on|off"; nothing when setting it',
  async run(ctx, p) {
    const v = p.args[0];
    if (v === undefined)
      return {
        type: 'lines',
        name: 'printwatches',
        lines: [`printwatches is ${ctx.shell.printWatches ? 'on' : 'off'}`],
      };
    if (v !== 'on' && v !== 'off') throw new UsageError(`printwatches takes on or off, got: ${v}`);
    ctx.shell.printWatches = v === 'on';
    return { type: 'none' };
  },
} as const satisfies CommandSpec;
