// zkCli's ls transcript, case by case (see test/helpers/golden.ts).
import { goldenSuite } from '../helpers/golden.js';

const PATH = 'a malformed path is a usage error: exit 2';
const RELATIVE = 'a relative path resolves against the current path (cd; / at start): foo is /foo';
const SLASH = 'one trailing / is dropped (what Tab completion leaves after a node with children)';
goldenSuite('ls.txt', {
  16: {
    code: 2,
    stdout: [],
    stderr: { first: 'Unrecognized option: -?' },
    why: 'an unknown option is refused (use help ls); zkCli prints commons-cli help and runs anyway',
  },
  19: { code: 1, stderr: ['Node does not exist: /foo'], why: RELATIVE },
  20: { code: 0, stdout: ['[10, 9, B, a, b, c, empty]'], stderr: [], why: SLASH },
  21: { code: 2, why: PATH },
  22: { code: 2, why: PATH },
  23: { code: 2, why: PATH },
  24: {
    code: 2,
    stderr: ['missing argument: path', 'usage: ls [-s] [-w] [-R] path'],
    why: 'usage errors exit 2 with the reason',
  },
  25: { code: 2, stderr: { first: 'Unrecognized option: -x' }, why: 'usage errors exit 2 with the reason' },
});
