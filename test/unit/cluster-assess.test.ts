import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseMembership, type MemberProbe } from '../../src/cluster/probe.js';
import { assess } from '../../src/cluster/report.js';
import { electionRoles, lockLayout, lockRoles } from '../../src/recipes/layout.js';
import type { Participant } from '../../src/recipes/view.js';

const probe = (port: number, role: string, zxid: bigint): MemberProbe => ({
  host: '127.0.0.1',
  port,
  reachable: true,
  serving: true,
  role,
  zxid,
  via: ['srvr'],
  notes: [],
});
const found = (...ps: MemberProbe[]) => ps.map((probe) => ({ probe, id: null, source: 'connect' as const }));

// Lag cannot be produced on a live 3-member test ensemble (see test/integration/cluster.test.ts), so the
// judgement is checked here on the numbers srvr would give.
describe('cluster: lag and health', () => {
  it('lag is the leader zxid minus the member zxid; past --max-lag is lagging and unhealthy', () => {
    const r = assess(
      found(probe(1, 'leader', 0x200000400n), probe(2, 'follower', 0x200000400n), probe(3, 'follower', 0x200000010n)),
      1000,
    );
    assert.deepEqual(
      r.members.map((m) => m.lag),
      [0, 0, 0x3f0],
    );
    assert.equal(r.healthy, false);
    assert.equal(r.members[2]!.status, 'lagging');
    assert.match(r.problems[0]!, /127\.0\.0\.1:3 is 1008 transactions behind the leader \(more than --max-lag 1000\)/);
    assert.equal(
      assess(found(probe(1, 'leader', 0x200000400n), probe(3, 'follower', 0x200000010n)), 1008).healthy,
      true,
    );
  });

  it('a member of an earlier epoch lacks at least the leader transactions of this epoch', () => {
    const r = assess(found(probe(1, 'leader', 0x300000005n), probe(2, 'follower', 0x2000fffffn)), 4);
    assert.equal(r.members[1]!.lag, 5);
    assert.equal(r.members[1]!.status, 'lagging');
    // A fresh leader (counter 0) and followers still at the old epoch are in step.
    assert.equal(assess(found(probe(1, 'leader', 0x100000000n), probe(2, 'follower', 0n)), 0).healthy, true);
  });

  it('down, not serving and unreadable members are problems; standalone has no lag', () => {
    const down: MemberProbe = {
      host: 'h',
      port: 1,
      reachable: false,
      serving: false,
      error: 'ECONNREFUSED',
      via: [],
      notes: [],
    };
    const ns: MemberProbe = { ...down, port: 2, reachable: true, error: 'not currently serving requests' };
    const blind: MemberProbe = { ...down, port: 3, reachable: true, serving: true, notes: ['srvr is not whitelisted'] };
    const r = assess(found(down, ns, blind), 10);
    assert.deepEqual(
      r.members.map((m) => m.status),
      ['down', 'not-serving', 'unknown'],
    );
    assert.equal(r.problems.length, 3);
    const s = assess(found(probe(1, 'standalone', 5n)), 0);
    assert.equal(s.healthy, true);
    assert.equal(s.members[0]!.lag, null);
  });

  it('reads the membership from conf, client addresses bound to every interface included', () => {
    assert.deepEqual(
      parseMembership(
        'serverId=1\nmembership: \nserver.1=10.0.0.1:2888:3888:participant;0.0.0.0:2181\nserver.2=10.0.0.2:2888:3888:observer;10.0.0.2:2182\nserver.3=10.0.0.3:2888:3888\nversion=0',
      ),
      [
        { id: 1, host: '10.0.0.1', port: 2181, role: 'participant' },
        { id: 2, host: '10.0.0.2', port: 2182, role: 'observer' },
      ],
    );
  });
});

const p = (name: string): Participant => ({
  name,
  path: `/l/${name}`,
  sequence: Number(/(\d{10})$/.exec(name)?.[1] ?? NaN),
  role: '',
  position: null,
  session: '0x1',
  created: '',
  ageSeconds: 0,
  client: null,
  data: null,
  orphan: null,
});
const U = '_c_0f8b7c1e-1111-4222-8333-944445555666-';
const V = '_c_00000000-aaaa-4bbb-8ccc-ddddeeeeffff-';

describe('recipe layouts', () => {
  it('Curator mutex: ordered by the sequence, not by the protection prefix', () => {
    const ps = [p(`${U}lock-0000000003`), p(`${V}lock-0000000007`), p(`${U}lock-0000000001`)];
    const layout = lockLayout(ps, false);
    assert.equal(layout, 'curator-mutex');
    const { ordered, holders } = lockRoles(ps, layout);
    assert.deepEqual(
      ordered.map((x) => x.sequence),
      [1, 3, 7],
    );
    assert.deepEqual(holders, [`${U}lock-0000000001`]);
  });

  it('read-write lock: readers ahead of the first writer hold; a writer holds only when first', () => {
    const ps = [
      p(`${U}__READ__0000000001`),
      p(`${V}__READ__0000000002`),
      p(`${U}__WRIT__0000000003`),
      p(`${V}__READ__0000000004`),
    ];
    const layout = lockLayout(ps, false);
    assert.equal(layout, 'curator-read-write-lock');
    const { ordered, holders } = lockRoles(ps, layout);
    assert.equal(holders.length, 2);
    assert.deepEqual(
      ordered.map((x) => x.role),
      ['holder (read)', 'holder (read)', 'waiting (write)', 'waiting (read)'],
    );
    const w = lockRoles([p(`${U}__WRIT__0000000005`), p(`${V}__READ__0000000006`)], layout);
    assert.deepEqual(
      w.ordered.map((x) => x.role),
      ['holder (write)', 'waiting (read)'],
    );
  });

  it('election: the lowest sequence leads', () => {
    const { holders, ordered } = electionRoles([p('n_0000000009'), p('n_0000000002')]);
    assert.deepEqual(holders, ['n_0000000002']);
    assert.deepEqual(
      ordered.map((x) => x.role),
      ['leader', 'candidate'],
    );
  });
});
