import { ACL_ENTRY, arrayOf, literal, obj } from '../output/json-shape.js';
import { parseZxid, parseZxidOrTime } from '../offline/open.js';
import { TxnType } from '../offline/records.js';
import { streamTxns } from '../offline/txn-stream.js';
import { globRegExp, type TxnFilter } from '../offline/txn-view.js';
import { arg, longOpt, need, noMore, opt } from './common.js';
import { UsageError, type CommandSpec } from './spec.js';

const TYPES = Object.keys(TxnType).filter((t) => t !== 'notification');

export default {
  name: 'txnlog',
  summary: "print a data dir's transaction logs, one line per transaction (who changed what, when)",
  usage: '[--path glob] [--session id] [--type t[,t]] [--from zxid|time] [--to zxid|time] [--data] [-f] dir',
  options: {
    path: longOpt('path', 'only transactions on paths matching the glob (* within a name, ** any depth)', {
      valueName: 'glob',
    }),
    session: longOpt('session', 'only transactions of this session (0x… or decimal)', { valueName: 'id' }),
    type: longOpt('type', `only these types, comma-separated (${TYPES.join(', ')})`, { valueName: 'types' }),
    from: longOpt('from', 'start at this zxid or time (ISO 8601 or epoch ms)', { valueName: 'zxid|time' }),
    to: longOpt('to', 'stop after this zxid or time', { valueName: 'zxid|time' }),
    data: longOpt('data', 'print data in full (default: the first 60 characters)'),
    follow: opt('f', 'keep printing transactions as the server logs them, like tail -f (Ctrl-C stops)'),
  },
  args: [arg('dir', 'word')],
  needsConnection: false,
  help:
    "Reads the transaction logs of a ZooKeeper data dir (DIR/version-2 or DIR itself), checking each record's " +
    'Adler32 checksum, and prints time, zxid, session id, type and path, then what the transaction carried: ' +
    "data (escaped), version, ACL, a closed session's deleted ephemerals. Each operation of a multi is its own " +
    'line (type multi:create …); --type multi selects them all. A path filter also finds ephemerals deleted by ' +
    'a closing session. A log cut off mid-record (what a crash leaves) is reported on stderr with the last ' +
    'good zxid; a corrupted record fails the command, naming the file and offset. --format json prints JSON Lines.',
  examples: [
    'txnlog /var/lib/zookeeper --path /app/config --type delete',
    'txnlog /var/lib/zookeeper --path "/app/**" --from 2024-05-01T12:00:00Z',
    'txnlog /var/lib/zookeeper --session 0x100000a3f2c0001 -f',
  ],
  json: obj({
    time: 'string',
    zxid: 'string',
    session: 'string',
    cxid: 'integer',
    type: 'string',
    'multi?': literal(true),
    'path?': 'string',
    'mode?': 'string',
    'ttl?': 'integer',
    'data?': 'any',
    'encoding?': 'any',
    'version?': 'integer',
    'acl?': arrayOf(ACL_ENTRY),
    'timeout?': 'integer',
    'deleted?': arrayOf('string'),
    'err?': 'string',
  }),
  table: 'time, zxid, session, type, path, details: one row per transaction, once the log is read (not with -f)',
  async run(ctx, p) {
    const dir = need(p, 0, 'dir');
    noMore(p, 1);
    const o = p.options;
    const filter: TxnFilter = {};
    if (typeof o['path'] === 'string') filter.path = globRegExp(o['path']);
    if (typeof o['session'] === 'string') filter.session = parseZxid(o['session'], '--session');
    if (typeof o['type'] === 'string') {
      const types = o['type'].split(',').map((t) => t.trim());
      const bad = types.filter((t) => !TYPES.includes(t));
      if (bad.length > 0) throw new UsageError(`unknown --type ${bad.join(', ')} (one of ${TYPES.join(', ')})`);
      filter.types = new Set(types);
    }
    if (typeof o['from'] === 'string') filter.from = parseZxidOrTime(o['from'], '--from');
    if (typeof o['to'] === 'string') filter.to = parseZxidOrTime(o['to'], '--to');
    const follow = !!o['follow'];
    if (follow && ctx.shell.format === 'table') throw new UsageError('txnlog -f has no table form (it never ends)');
    return {
      type: 'txns',
      entries: streamTxns(dir, { filter, follow, signal: ctx.signal }),
      fullData: !!o['data'],
    };
  },
} as const satisfies CommandSpec;
