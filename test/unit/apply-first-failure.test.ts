// The first failure import and cp report is the first in send order: one session's requests are applied in
// order, but a lone create's promise settles a few microtasks after a multi answered in the same read.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ApplyFailed, applyImport } from '../../src/backup/apply.js';
import type { NodeRecord } from '../../src/backup/format.js';
import type { MultiOp, MultiResult } from '../../src/zk/client.js';
import { Code, ZkError } from '../../src/zk/errors.js';
import type { ACL } from '../../src/zk/jute/records.js';

const EMOJI: ACL[] = [{ perms: 31, id: { scheme: 'digest', id: 'r😀b:hash' } }];

describe('applyImport first failure', () => {
  it('names the lone create that failed, not the multi after it that failed because of it', async () => {
    const zk = {
      // The server refused the lone create (sent first) and then the multi with its child; the create's
      // answer reaches applyImport later.
      create: (path: string): Promise<string> =>
        new Promise((_, reject) => setTimeout(() => reject(new ZkError(Code.NOAUTH, path)), 20)),
      multi: (ops: readonly MultiOp[]): Promise<MultiResult[]> => {
        const e = new ZkError(Code.NONODE);
        e.results = ops.map(() => ({ err: Code.NONODE }));
        return Promise.reject(e);
      },
      setACL: () => Promise.reject(new Error('not used')),
    };
    const records: NodeRecord[] = [
      { path: 'e', data: null, kind: 'persistent', acl: EMOJI },
      { path: 'e/kid', data: null, kind: 'persistent' },
    ];
    async function* gen(): AsyncGenerator<NodeRecord> {
      yield* records;
    }
    const opts = { destRoot: '/dst', acl: true, ephemerals: false, mode: 'refuse' as const };
    await assert.rejects(applyImport(zk, gen(), new Set(), new Set(), opts), (e: unknown) => {
      assert.ok(e instanceof ApplyFailed, String(e));
      assert.deepEqual([e.first.code, e.first.path], [Code.NOAUTH, '/dst/e']);
      assert.equal(e.applied.created, 0);
      return true;
    });
  });
});
