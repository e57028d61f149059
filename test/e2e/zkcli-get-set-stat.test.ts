// zkCli's get/set/stat transcript, case by case (see test/helpers/golden.ts).
import { goldenSuite } from '../helpers/golden.js';

const RELATIVE = 'a relative path resolves against the current path (cd; / at start): foo is /foo';
const SLASH = 'one trailing / is dropped (what Tab completion leaves after a node with children)';
const USAGE = 'usage errors exit 2 with the reason and the usage line';
// The replay skips the transcript's interactive cases (and the capture harness's own writes), so the
// counters of nodes those touched differ; every other line must still match.
const COUNTERS = {
  ignore: /^(cversion|dataVersion) = /,
  why: "counters differ: the transcript's interactive cases are not replayed",
};
goldenSuite(
  'get-set-stat.txt',
  {
    29: {
      stderr: /^version No is not valid : \/gs\/hello\ncurrent data version of \/gs\/hello: \d+$/,
      why: 'a stale version adds the current version on the next line, so the user can retry',
    },
    6: COUNTERS,
    16: COUNTERS,
    39: COUNTERS,
    44: COUNTERS,
    51: COUNTERS,
    11: { code: 1, stderr: ['Node does not exist: /foo'], why: RELATIVE },
    12: { code: 0, stdout: ['null'], stderr: [], why: SLASH },
    20: { code: 1, stderr: ['Node does not exist: /foo'], why: RELATIVE },
    33: { code: 1, stderr: ['Node does not exist: /foo'], why: RELATIVE },
    13: { code: 2, stderr: ['missing argument: path', 'usage: get [-s] [-w] [-b] [-x] path'], why: USAGE },
    14: {
      code: 0,
      stdout: /^00000000 {2}68 65 6c 6c 6f {2}/,
      stderr: [],
      why: "-x is zk-shell's hex dump (zkCli has no -x)",
    },
    21: {
      code: 0,
      stdout: /^Zookeeper version: .*\nClients:/s,
      stderr: [],
      why: '`stat` without a path is the four-letter word',
    },
    22: { code: 2, stderr: { first: 'Unrecognized option: -s' }, why: USAGE },
    31: {
      code: 2,
      stderr: ['version must be an int value, got: abc', 'usage: set [-s] [-v version] [-b] path data'],
      why: 'a bad number is a usage error (zkCli crashes with a stack trace)',
    },
    34: { code: 2, stderr: ['missing argument: data', 'usage: set [-s] [-v version] [-b] path data'], why: USAGE },
    35: { code: 2, stderr: ['missing argument: path', 'usage: set [-s] [-v version] [-b] path data'], why: USAGE },
    36: { code: 2, stderr: { first: 'Unrecognized option: -x' }, why: USAGE },
    37: {
      code: 2,
      stderr: {
        first: "'set path data version' has been deprecated. Please use 'set [-v version] path data' instead.",
      },
      why: 'a third word is the 3.4 version argument, and a non-number there is an error (zkCli ignores it)',
    },
    53: {
      ignore: /^(cversion|dataVersion|dataLength) = |^caf/,
      why: 'zk-shell reads argv as UTF-8 whatever LANG says; zkCli stored LANG=C garbage in case 52',
    },
  },
  {
    47: 'the node holds bytes the capture harness wrote directly (binary output is tested in one-shot.test)',
    48: 'same node as case 47',
    49: 'same node as case 47',
  },
);
