// Every one-shot case of zkCli's errors-and-exit-codes transcript, run through bin/zk-shell against a
// real server: output must match zkCli byte for byte, except the deliberate changes listed below.
import { goldenSuite, type Change } from '../helpers/golden.js';
const USAGE = 'usage errors exit 2, with the reason and the usage line (zkCli exits 1 or prints a Java exception)';
const PATH = 'a malformed path is a usage error: exit 2';
const HONEST = 'zkCli exits 0 after this failure; scripts must see it';
const RELATIVE = 'a relative path resolves against the current path (cd; / at start): foo is /foo';
const SLASH = 'one trailing / is dropped (what Tab completion leaves after a node with children)';
const changes: Record<number, Change> = {
  5: { stdout: /^ZooKeeper CLI version: zk-shell-\d+\.\d+\.\d+$/, why: "our own version string behind zkCli's prefix" },
  6: { stdout: [], why: 'scripted stdout carries results only: no session events' },
  10: {
    stderr: ['version No is not valid : /ec/v', 'current data version of /ec/v: 1'],
    why: 'a stale version adds the current version on the next line, so the user can retry',
  },
  13: {
    code: 2,
    stderr: ['foo does not have the form scheme:id:perm'],
    why: 'a malformed ACL refuses the command before anything is sent',
  },
  16: {
    code: 3,
    stderr: /^Not connected: could not connect to 127\.0\.0\.1:\d+: connect ECONNREFUSED/,
    why: 'could not connect has its own exit code',
  },
  17: { code: 1, stderr: ['Node does not exist: /foo'], why: RELATIVE },
  18: { code: 0, stdout: ['null'], stderr: [], why: SLASH },
  19: { code: 2, why: PATH },
  20: { code: 2, stderr: ['missing argument: path', 'usage: ls [-s] [-w] [-R] path'], why: USAGE },
  21: { code: 2, stderr: ['missing argument: data', 'usage: set [-s] [-v version] [-b] path data'], why: USAGE },
  22: { code: 2, stderr: ['unexpected argument: x', 'usage: version '], why: USAGE },
  23: { code: 0, stdout: ['null'], stderr: [], why: "-x is zk-shell's hex dump option (zkCli has none)" },
  24: { code: 2, stderr: { first: 'Missing argument for option: t' }, why: USAGE },
  25: { code: 2, stderr: { first: 'only one of -n, -b, -N, -B may be given (got -n, -b)' }, why: USAGE },
  26: { code: 2, stderr: { first: 'one of -n, -b, -N, -B is required' }, why: USAGE },
  27: {
    code: 2,
    stderr: { first: '-c cannot be combined with -s or -e. Containers cannot be ephemeral or sequential.' },
    why: USAGE,
  },
  28: { code: 2, stderr: { first: '-t argument must be a long value' }, why: USAGE },
  29: { code: 2, stderr: { first: '-b argument must be an int value, got: abc' }, why: USAGE },
  31: {
    code: 0,
    stdout: /^ZooKeeper -server host:port -client-configuration properties-file cmd args\n\t4lw/,
    stderr: [],
    why: 'help is a command',
  },
  32: {
    stderr: /\n\twhoami \nCommand not found: Command not found frobnicate$/,
    why: 'our usage block lists more commands',
  },
  33: { code: 2, stderr: { first: 'version must be an int value, got: abc' }, why: USAGE },
  34: { code: 2, stderr: { first: 'version must be an int value, got: abc' }, why: USAGE },
  35: { code: 2, stderr: { first: 'version must be an int value, got: abc' }, why: USAGE },
  36: { code: 2, stderr: { first: 'redo takes a command number, got: abc' }, why: USAGE },
  37: { code: 0, stderr: [], why: 'a relative path resolves against the current path: addWatch foo watches /foo' },
  38: {
    code: 2,
    stderr: ['zk-shell: --timeout takes a positive number of milliseconds up to 2147483647, got: abc'],
    why: USAGE,
  },
  39: {
    code: 3,
    stdout: [],
    stderr: /^Not connected: could not connect to 127\.0\.0\.1:\d+ within 2000 ms/,
    why: 'could not connect has its own exit code',
  },
  40: {
    stderr: ['zk-shell: client configuration file not found: /nonexistent/c.cfg'],
    why: 'a one-line message, no stack trace',
  },
  41: {
    code: 1,
    stderr:
      /^Failed to delete some node\(s\) in the subtree! \(2 of 2 left\)\n {2}Insufficient permission : \/ec\/prot\/kid\n {2}Node not empty: \/ec\/prot$/,
    why: HONEST,
  },
  42: {
    code: 1,
    stdout: [],
    stderr: /^setAcl -R: 1 of 2 znodes were not changed\n {2}Insufficient permission : \/ec\/tree\/a$/,
    why: HONEST,
  },
  43: {
    code: 2,
    stderr: { first: 'Unknown perm type: x' },
    why: 'an unknown permission letter refuses the command (zkCli applies the rest)',
  },
  44: { code: 2, stderr: { first: 'the num quota must be greater than zero' }, why: HONEST },
  45: { code: 2, stderr: { first: 'NumberFormatException happens when parsing the option value' }, why: HONEST },
  46: { code: 1, why: HONEST },
  47: { code: 1, why: HONEST },
  48: { code: 1, stdout: [], stderr: ['Quota does not exist for /ec'], why: HONEST },
  49: { code: 2, stderr: ['missing argument: cmdno', 'usage: redo cmdno'], why: USAGE },
};

goldenSuite('errors-and-exit-codes.txt', changes);
