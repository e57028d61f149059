import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { commandHelp } from '../../src/commands/help.js';
import { commands } from '../../src/commands/index.js';
import { tableWidth } from '../../src/output/format.js';
import { FLW_JSON, flwFields } from '../../src/output/four-letter-json.js';
import { anyOf, arrayOf, literal, obj, shapeErrors, STAT } from '../../src/output/json-shape.js';
import { fitWidths, tablesText, wrapCell } from '../../src/output/table.js';

describe('JSON shapes', () => {
  const shape = obj({
    path: 'string',
    n: 'integer',
    'stat?': STAT,
    kind: anyOf(literal('a'), 'null'),
    list: arrayOf('string'),
  });

  it('accepts a document that fits, with or without optional keys', () => {
    assert.deepEqual(shapeErrors(shape, { path: '/x', n: 1, kind: null, list: ['a'] }), []);
    assert.deepEqual(shapeErrors(shape, { path: '/x', n: 1, kind: 'a', list: [] }), []);
  });

  it('names every departure: missing, undocumented, wrong type, wrong literal, inside arrays and named shapes', () => {
    assert.deepEqual(shapeErrors(shape, { n: 1.5, kind: 'b', list: ['a', 2], extra: true, stat: { czxid: 1 } }), [
      '$.path: missing',
      '$.n: expected integer, got number 1.5',
      '$.stat.czxid: expected string, got number 1',
      '$.stat.mzxid: missing',
      '$.stat.pzxid: missing',
      '$.stat.ctime: missing',
      '$.stat.mtime: missing',
      '$.stat.version: missing',
      '$.stat.cversion: missing',
      '$.stat.aversion: missing',
      '$.stat.ephemeralOwner: missing',
      '$.stat.dataLength: missing',
      '$.stat.numChildren: missing',
      '$.kind: expected "a", got "b"',
      '$.list[1]: expected string, got number 2',
      '$.extra: not in the documented shape',
    ]);
  });

  it('every command declares a JSON shape and a table form, and help shows both', () => {
    for (const c of commands) {
      assert.ok(c.json, c.name);
      assert.ok(c.table.length > 5, `${c.name} table`);
      const h = commandHelp(c);
      assert.ok(h.includes('--format json:') && h.includes(`--format table: ${c.table}`), c.name);
      if (h.some((l) => /\bStat\b/.test(l) && l.startsWith('  {')))
        assert.ok(
          h.some((l) => l.startsWith('  where Stat = {czxid')),
          c.name,
        );
    }
  });
});

describe('four-letter words as data', () => {
  const check = (word: string, text: string): Record<string, unknown> => {
    const f = flwFields(word, text);
    assert.deepEqual(shapeErrors(FLW_JSON, { word, server: 'h:1', ...f }), [], JSON.stringify(f));
    return f;
  };

  it('srvr of a leader: snake_case labels, slash groups split, zxid kept as hex text', () => {
    const f = check(
      'srvr',
      'Zookeeper version: 3.9.2-e454e8c7, built on 2024-02-12 20:59 UTC\nLatency min/avg/max: 0/0.3333/2\n' +
        'Received: 10\nSent: 9\nConnections: 2\nOutstanding: 0\nZxid: 0x100000004\nMode: leader\nNode count: 6\n' +
        'Proposal sizes last/min/max: 48/36/92\n',
    );
    assert.deepEqual(f['values'], {
      zookeeper_version: '3.9.2-e454e8c7, built on 2024-02-12 20:59 UTC',
      latency_min: 0,
      latency_avg: 0.3333,
      latency_max: 2,
      received: 10,
      sent: 9,
      connections: 2,
      outstanding: 0,
      zxid: '0x100000004',
      mode: 'leader',
      node_count: 6,
      proposal_sizes_last: 48,
      proposal_sizes_min: 36,
      proposal_sizes_max: 92,
    });
  });

  it('cons: every field of a connection, numbers as numbers and ids as hex text', () => {
    const f = check(
      'cons',
      ' /127.0.0.1:41834[1](queued=0,recved=5,sent=5,sid=0x100002f2fe70000,lop=EXIS,est=1795973085492,' +
        'to=30000,lcxid=0x4,lzxid=0xffffffffffffffff,lresp=3111372,llat=1,minlat=0,avglat=3,maxlat=8)\n /[0:0:0:0:0:0:0:1]:5555[0](queued=0,recved=1,sent=0)\n\n',
    );
    assert.deepEqual(f['connections'], [
      {
        address: '/127.0.0.1:41834',
        interestOps: 1,
        queued: 0,
        recved: 5,
        sent: 5,
        sid: '0x100002f2fe70000',
        lop: 'EXIS',
        est: 1795973085492,
        to: 30000,
        lcxid: '0x4',
        lzxid: '0xffffffffffffffff',
        lresp: 3111372,
        llat: 1,
        minlat: 0,
        avglat: 3,
        maxlat: 8,
      },
      { address: '/[0:0:0:0:0:0:0:1]:5555', interestOps: 0, queued: 0, recved: 1, sent: 0 },
    ]);
  });

  it('conf of an ensemble member keeps the hex version as text; envi values stay text', () => {
    const f = check(
      'conf',
      'clientPort=2181\ninitLimit=10\nmembership: \nserver.1=127.0.0.1:2888:3888:participant;0.0.0.0:2181\nversion=100000000\n',
    );
    assert.deepEqual(f['values'], {
      clientPort: 2181,
      initLimit: 10,
      'server.1': '127.0.0.1:2888:3888:participant;0.0.0.0:2181',
      version: '100000000',
    });
    const e = check('envi', 'Environment:\njava.version=21\nos.memory.free=199MB\n');
    assert.deepEqual(e['values'], { 'java.version': '21', 'os.memory.free': '199MB' });
  });

  it('mntr: a number past 2^53 stays exact as text', () => {
    const f = check('mntr', 'zk_version\t3.9.2\nzk_avg_latency\t0.5\nzk_big\t9007199254740993\n');
    assert.deepEqual(f['values'], { zk_version: '3.9.2', zk_avg_latency: 0.5, zk_big: '9007199254740993' });
  });

  it('watches, digests, single answers', () => {
    assert.deepEqual(check('wchs', '3 connections watching 5 paths\nTotal watches:7\n'), {
      connections: 3,
      paths: 5,
      watches: 7,
    });
    assert.deepEqual(check('wchc', '0x1a\n\t/a\n\t/b\n0x2b\n\t/c\n\n'), {
      sessions: { '0x1a': ['/a', '/b'], '0x2b': ['/c'] },
    });
    assert.deepEqual(check('hash', '100000002: 1897341987\n100000003: -42\n'), {
      digests: [
        { zxid: '0x100000002', digest: '1897341987' },
        { zxid: '0x100000003', digest: '-42' },
      ],
    });
    assert.deepEqual(check('ruok', ''), { ok: false });
    assert.deepEqual(check('isro', 'ro\n'), { readOnly: true });
    assert.deepEqual(check('gtmk', '306\n'), { traceMask: 306 });
  });
});

describe('tables', () => {
  it('wrapCell never exceeds the width and never drops a character', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom('a', 'b', ' ', '\n', 'é', '-'), maxLength: 200 }),
        fc.integer({ min: 1, max: 30 }),
        (s, w) => {
          const out = wrapCell(s, w);
          for (const l of out.split('\n')) assert.ok([...l].length <= w, JSON.stringify([s, w, l]));
          assert.equal(out.replace(/\s/g, ''), s.replace(/\s/g, ''));
        },
      ),
    );
  });

  it('columns keep natural widths when they fit, and share the width when they do not', async () => {
    const t = { head: ['key', 'value'], rows: [['k'.repeat(40), 'v '.repeat(50)]] };
    assert.equal(fitWidths(t, 200), undefined);
    assert.equal(fitWidths(t, undefined), undefined);
    assert.deepEqual(fitWidths(t, 61), [29, 29]);
    // A narrow column keeps its width (at least 6), the wide one takes the rest.
    assert.deepEqual(fitWidths({ head: ['a', 'b'], rows: [['x', 'y'.repeat(100)]] }, 40), [6, 31]);
    const text = await tablesText([t], 61);
    for (const l of text.trimEnd().split('\n')) assert.equal([...l].length, 61, l);
  });

  it('width: the terminal when stdout is one, else COLUMNS, else none', () => {
    assert.equal(tableWidth({ isTTY: true, columns: 93 }, { COLUMNS: '50' }), 93);
    assert.equal(tableWidth({}, { COLUMNS: '50' }), 50);
    assert.equal(tableWidth({}, { COLUMNS: 'wide' }), undefined);
    assert.equal(tableWidth({}, {}), undefined);
  });
});
