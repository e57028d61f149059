import { obj, STAT } from '../output/json-shape.js';
import fs from 'node:fs';
import { UsageError, type CommandSpec } from './spec.js';

const USAGE =
  '[-s] [-v version] [[-file path] | [-members serverID=host:port1:port2;port3[,...]*]] | [-add serverId=host:port1:port2;port3[,...]]* [-remove serverId[,...]*]';

/** zkCli's reconfig words: -s, -v N, -file F, -members M, -add A, -remove R (multi-letter, one dash). */
function parse(words: readonly string[]): {
  stat: boolean;
  version: bigint;
  joining: string | null;
  leaving: string | null;
  members: string | null;
} {
  let stat = false;
  let version = -1n;
  let joining: string | null = null;
  let leaving: string | null = null;
  let members: string | null = null;
  let file: string | null = null;
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    const value = (): string => {
      const v = words[++i];
      if (v === undefined) throw new UsageError(`Missing argument for option: ${w.replace(/^-+/, '')}`);
      return v;
    };
    switch (w) {
      case '-s':
        stat = true;
        break;
      case '-v': {
        const v = value();
        // zkCli reads it as hex (Long.parseLong(v, 16)), the form `config` prints: version=100000000.
        const hex = /^(?:0[xX])?([0-9a-fA-F]{1,16})$/.exec(v)?.[1];
        const n = hex === undefined ? -1n : BigInt(`0x${hex}`);
        if (n < 0n || n > 0x7fffffffffffffffn)
          throw new UsageError(`-v takes a config version in hex (as config prints it), got: ${v}`);
        version = n;
        break;
      }
      case '-add':
        joining = value();
        break;
      case '-remove':
        leaving = value();
        break;
      case '-members':
        members = value();
        break;
      case '-file':
        file = value();
        break;
      default:
        throw new UsageError(`Unrecognized option: ${w}`);
    }
  }
  if (file !== null) {
    if (members !== null) throw new UsageError('-file and -members cannot be combined');
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (e) {
      throw new UsageError(`Error processing ${file}: ${(e as Error).message}`);
    }
    members = text
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => /^(server\.|group|weight)/.test(l))
      .join(',');
  }
  if ((joining !== null || leaving !== null) && members !== null)
    throw new UsageError('-members cannot be combined with -add or -remove');
  if (joining === null && leaving === null && members === null)
    throw new UsageError('nothing to change: give -add, -remove, -members or -file');
  return { stat, version, joining, leaving, members };
}

export default {
  name: 'reconfig',
  summary: 'change the ensemble membership (incremental or non-incremental)',
  usage: USAGE,
  options: {},
  args: [],
  raw: true,
  needsConnection: true,
  help:
    'Needs reconfigEnabled=true on the servers and ADMIN on /zookeeper/config (e.g. the superuser). ' +
    'Prints "Committed new configuration:" and the new configuration.',
  examples: [
    'reconfig -remove 3',
    "reconfig -add 'server.4=127.0.0.1:2891:3891;2184'",
    'reconfig -file new.cfg -v 0x100000002',
  ],
  json: obj({ config: 'string', 'stat?': STAT }),
  table: "key/value of the new configuration's key=value lines, then the stat with -s",
  async run(ctx, p) {
    const r = parse(p.args);
    const { data, stat } = await ctx.zk.reconfig(r.joining, r.leaving, r.members, r.version);
    const text = `Committed new configuration:\n${data?.toString('utf8') ?? ''}`;
    return r.stat ? { type: 'config', text, stat, form: 'full' } : { type: 'config', text, form: 'full' };
  },
} as const satisfies CommandSpec;
