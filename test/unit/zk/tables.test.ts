import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { digestId, parseAcl, permsToString } from '../../../src/zk/acl.js';
import { ERROR_CODES, errorFor, ConnectionLossError, ZkError } from '../../../src/zk/errors.js';
import { HostProvider, parseConnectString } from '../../../src/zk/host-provider.js';
import * as R from '../../../src/zk/jute/records.js';
import { Op } from '../../../src/zk/protocol.js';

describe('opcode table', () => {
  it('every op points at existing records and has a unique code', () => {
    const records = new Set(Object.values(R));
    const codes = new Set<number>();
    for (const [name, op] of Object.entries(Op)) {
      assert.ok(records.has(op.request), `${name} request record`);
      assert.ok(records.has(op.response), `${name} response record`);
      assert.ok(!codes.has(op.code), `${name} code ${op.code} is unique`);
      codes.add(op.code);
      assert.match(op.since, /^3\.\d$/);
    }
  });
});

describe('errors', () => {
  it('uses zkCli wording where zkCli rewrites, KeeperErrorCode otherwise', () => {
    assert.equal(new ZkError(-101, '/x').cliMessage, 'Node does not exist: /x');
    assert.equal(new ZkError(-103, '/x').cliMessage, 'version No is not valid : /x');
    assert.equal(new ZkError(-102, '/x').cliMessage, 'Insufficient permission : /x');
    assert.equal(new ZkError(-111, '/x').cliMessage, 'Node not empty: /x');
    assert.equal(new ZkError(-4, '/x').cliMessage, 'KeeperErrorCode = ConnectionLoss for /x');
    assert.equal(new ZkError(-121, '/x').cliMessage, 'KeeperErrorCode = No such watcher for /x');
    assert.equal(new ZkError(-101).cliMessage, 'Node does not exist: null');
  });

  it('never throws on codes it does not know', () => {
    const e = new ZkError(-999, '/x');
    assert.equal(e.codeName, 'UNKNOWN');
    assert.equal(e.message, 'KeeperErrorCode = Unknown error -999 for /x');
  });

  it('maps client-side codes to typed errors', () => {
    assert.ok(errorFor(-4, '/a') instanceof ConnectionLossError);
    assert.ok(Object.keys(ERROR_CODES).length >= 30);
  });
});

describe('ACLs and digest', () => {
  it('computes the ids of the facts sheet', () => {
    assert.equal(digestId('user:pass'), 'user:smGaoVKd/cQkjm7b88GyorAUz20=');
    assert.equal(digestId('alice:secret'), 'alice:aYXlLOpEooaV1cRAvUL1fp9Qt7E=');
    assert.equal(digestId('super:admin'), 'super:xQJmxLMiHGwaqBvst5y6rkB6HQs=');
  });

  it('parses zkCli ACL strings, ids with colons included', () => {
    assert.deepEqual(parseAcl('world:anyone:cdrwa,digest:u:abc=:r,ip:::1:rw'), [
      { id: { scheme: 'world', id: 'anyone' }, perms: 31 },
      { id: { scheme: 'digest', id: 'u:abc=' }, perms: 1 },
      { id: { scheme: 'ip', id: '::1' }, perms: 3 },
    ]);
    assert.equal(permsToString(31), 'cdrwa');
    assert.equal(permsToString(1 | 16), 'ra');
  });

  it('refuses malformed entries instead of dropping them', () => {
    assert.throws(() => parseAcl('foo'), /foo does not have the form scheme:id:perm/);
    assert.throws(() => parseAcl('world:anyone:rx'), /Unknown perm type: x/);
  });
});

describe('connect strings', () => {
  it('parses hosts, IPv6, default port and chroot', () => {
    assert.deepEqual(parseConnectString('a:1, b ,[::1]:3/app/x'), {
      hosts: [
        { host: 'a', port: 1 },
        { host: 'b', port: 2181 },
        { host: '::1', port: 3 },
      ],
      chroot: '/app/x',
    });
    assert.equal(parseConnectString('a:1/').chroot, null);
    assert.throws(() => parseConnectString('a:1/bad/'), /Path must not end/);
    assert.throws(() => parseConnectString('a:x'), /invalid port/);
    assert.throws(() => parseConnectString(''), /may not be empty/);
    // Several colons without brackets: a bare IPv6 address, or a typo reported as one.
    assert.deepEqual(parseConnectString('2001:db8::1').hosts, [{ host: '2001:db8::1', port: 2181 }]);
    assert.throws(() => parseConnectString('bad:port:x'), /invalid host:port: bad:port:x/);
    assert.throws(() => parseConnectString('h:2181:x'), /\[addr\]:port/);
  });

  it('walks hosts round-robin and says when the ring wrapped', () => {
    const hp = new HostProvider(
      [
        { host: 'a', port: 1 },
        { host: 'b', port: 2 },
      ],
      false,
    );
    const seen: string[] = [];
    const wraps: boolean[] = [];
    for (let i = 0; i < 4; i++) {
      const { host, wrapped } = hp.next();
      seen.push(host.host);
      wraps.push(wrapped);
      hp.failed();
    }
    assert.deepEqual(seen, ['a', 'b', 'a', 'b']);
    assert.deepEqual(wraps, [false, false, true, false]);
    hp.connected();
    assert.equal(hp.next().wrapped, false);
  });
});
