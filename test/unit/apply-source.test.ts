import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyImport, SourceFailed } from '../../src/backup/apply.js';
import { FormatError, type NodeRecord } from '../../src/backup/format.js';
import type { MultiOp, MultiResult } from '../../src/zk/client.js';

describe('applyImport when the records fail midway', () => {
  it('stops sending, lets what was sent finish, and says what was written (file changed after its check)', async () => {
    let inFlight = 0;
    let written = 0;
    const zk = {
      multi: (ops: readonly MultiOp[]): Promise<MultiResult[]> => {
        inFlight++;
        return new Promise((resolve) =>
          setTimeout(() => {
            inFlight--;
            written += ops.length;
            resolve(ops.map(() => ({ type: 'create', path: '' })));
          }, 5),
        );
      },
      setACL: () => Promise.reject(new Error('not used')),
      create: () => Promise.reject(new Error('not used')),
    };
    // 2,500 good records, then a line that no longer parses: two full batches of 1,000 went, the third did not.
    async function* records(): AsyncGenerator<NodeRecord> {
      for (let i = 0; i < 2500; i++) yield { path: `n${i}`, data: null, kind: 'persistent' };
      throw new FormatError('f.jsonl', 2502, 'not valid JSON (the file is truncated or corrupted)');
    }
    const opts = { destRoot: '/dst', acl: false, ephemerals: false, mode: 'refuse' as const };
    await assert.rejects(applyImport(zk, records(), new Set(), new Set(), opts), (e: unknown) => {
      assert.ok(e instanceof SourceFailed, String(e));
      assert.ok(e.error instanceof FormatError);
      assert.equal(inFlight, 0, 'every batch sent was finished first');
      assert.equal(e.applied.created, written);
      assert.equal(written, 2000);
      return true;
    });
  });
});
