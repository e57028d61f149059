import { obj, STAT } from '../output/json-shape.js';
import { noMore, opt } from './common.js';
import type { CommandSpec } from './spec.js';

/** "version host:port,host:port" from the dynamic config's client addresses (zkCli config -c). */
export function connectForm(text: string): string {
  let version = '';
  const hosts: string[] = [];
  for (const line of text.split('\n')) {
    const v = /^version=(\w+)/.exec(line);
    if (v) version = v[1]!;
    const s = /^server\.\d+=[^;]*;(.+)$/.exec(line);
    if (s) hosts.push(s[1]!.trim().replace(/^0\.0\.0\.0:/, '127.0.0.1:'));
  }
  return `${version} ${hosts.join(',')}`;
}

export default {
  name: 'config',
  summary: 'print the dynamic configuration of the ensemble',
  usage: '[-c] [-w] [-s]',
  options: {
    connect: opt('c', 'print only "version host:port,…" (a connect string)'),
    watch: opt('w', 'watch the configuration'),
    stat: opt('s', 'also print the stat of /zookeeper/config'),
  },
  args: [],
  needsConnection: true,
  help: 'Reads /zookeeper/config. A standalone server has an empty configuration.',
  examples: ['config', 'config -c'],
  json: obj({ config: 'string', 'stat?': STAT }),
  table:
    'key/value of the key=value lines (-c: the connect string), then the stat with -s; nothing for an empty configuration',
  async run(ctx, p) {
    noMore(p, 0);
    const { data, stat } = await ctx.zk.getConfig(!!p.options['watch']);
    const text = data?.toString('utf8') ?? '';
    if (p.options['connect']) return { type: 'config', text: connectForm(text), form: 'connect' };
    return p.options['stat'] ? { type: 'config', text, stat, form: 'full' } : { type: 'config', text, form: 'full' };
  },
} as const satisfies CommandSpec;
