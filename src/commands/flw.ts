import { groupByClient } from '../live/client-groups.js';
import { FLW_JSON } from '../output/four-letter-json.js';
import { anyOf } from '../output/json-shape.js';
import { CLIENTS_JSON } from '../output/live-results.js';
import { FOUR_LETTER_WORDS, fourLetterWord } from '../zk/four-letter.js';
import { parseHostPort } from '../zk/host-provider.js';
import { CommandFailed, UsageError, type CommandSpec } from './spec.js';

/** Words that are not answers but refusals: the command fails with the server's message. */
const REFUSALS = [/is not executed because it is not in the whitelist/, /not currently serving requests/];

export default {
  name: '4lw',
  // `stat` is also a znode command: the executor sends `stat` with no path here.
  aliases: FOUR_LETTER_WORDS.filter((w) => w !== 'stat'),
  summary: 'send a four-letter word (ruok, srvr, mntr, …) to a server',
  usage: 'word [mask] [-server host:port] [--by-client]',
  options: {},
  args: [],
  raw: true,
  needsConnection: false,
  help:
    `Words: ${FOUR_LETTER_WORDS.join(' ')}. Each also works as a command of its own ("zk-shell ruok"); ` +
    '"stat" without a path is the four-letter word. The target is -server, else the connected server, else the ' +
    'first host of the connect string. --format json and table parse the answer (numbers as numbers; srvr and ' +
    'stat labels in snake_case, "Latency min/avg/max" as latency_min, latency_avg, latency_max; zxids and ' +
    "session ids stay 0x strings; conf's version is hex text; envi values are text). " +
    'A word the server does not whitelist prints its message and exits 1. stmk takes the trace mask to set ' +
    '(decimal or 0x hex; without one it is refused rather than setting 0). ' +
    'cons, wchc and wchp take --by-client: one row per client address (all its ports), heaviest first, with ' +
    'its connections, session ids and (cons) queued/received/sent requests or (wchc, wchp) watch count and a ' +
    "few watched paths; wchc and wchp ask cons too, to know each session's address (a session cons does not " +
    'list is shown as "session 0x…").',
  examples: ['zk-shell ruok', 'zk-shell mntr -server 127.0.0.1:2181 --format table', '4lw srvr'],
  json: anyOf(FLW_JSON, CLIENTS_JSON),
  table:
    "the parsed answer: single values, and mntr, srvr, stat, conf, envi and dirs values, as key/value; connections (cons, stat) as columns; wchc, wchp and dump's ephemerals as two columns",
  async run(ctx, p) {
    const words = [...p.args];
    let word = p.invokedAs && p.invokedAs !== '4lw' ? p.invokedAs : words.shift();
    if (!word) throw new UsageError(`missing word: one of ${FOUR_LETTER_WORDS.join(', ')}`);
    word = word.toLowerCase();
    if (!(FOUR_LETTER_WORDS as readonly string[]).includes(word))
      throw new UsageError(`unknown four-letter word: ${word}`);
    let target = ctx.shell.targetHost();
    let traceMask: bigint | undefined;
    let byClient = false;
    for (let i = 0; i < words.length; i++) {
      const w = words[i]!;
      if (w === '--by-client' && (word === 'cons' || word === 'wchc' || word === 'wchp')) byClient = true;
      else if ((w === '-server' || w === '--server') && words[i + 1])
        target = parseHostPort(words[++i]!.split(',')[0]!.split('/')[0]!);
      else if (word === 'stmk' && traceMask === undefined && /^(0[xX][0-9a-fA-F]{1,16}|\d{1,19})$/.test(w))
        traceMask = BigInt.asIntN(64, BigInt(w));
      else throw new UsageError(`unexpected argument: ${w}`);
    }
    // stmk without a mask would set the server's trace mask to 0: it must be asked for.
    if (word === 'stmk' && traceMask === undefined)
      throw new UsageError('stmk takes the trace mask to set (decimal or 0x hex), e.g. stmk 306');
    const server = `${target.host}:${target.port}`;
    const ask = async (w: string): Promise<string> => {
      let text: string;
      try {
        text = await fourLetterWord(target.host, target.port, w, {
          ...(ctx.shell.tls ? { tls: ctx.shell.tls } : {}),
          ...(traceMask !== undefined ? { traceMask } : {}),
        });
      } catch (e) {
        throw new CommandFailed(`${w} to ${server} failed: ${(e as Error).message}`);
      }
      if (REFUSALS.some((r) => r.test(text))) throw new CommandFailed(text.trim());
      return text;
    };
    const text = await ask(word);
    if (!byClient) return { type: 'flw', word, server, text };
    const w = word as 'cons' | 'wchc' | 'wchp';
    // Without cons, watches are still counted, per session instead of per address.
    const cons = w === 'cons' ? text : await ask('cons').catch(() => '');
    return { type: 'clients', word: w, server, groups: groupByClient(w, cons, w === 'cons' ? null : text) };
  },
} as const satisfies CommandSpec;
