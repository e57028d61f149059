// The whole suite in one run of node's test runner. Unit tests need nothing; integration and e2e tests
// need a real ZooKeeper, which is found or installed here first. If that fails, the run fails: no skips.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { ensureKerberos, ensureMan, ensureZooKeeper } from '../src/server/install.js';

try {
  const zk = ensureZooKeeper((line) => console.log(`[test-all] ${line}`));
  console.log(`[test-all] ZooKeeper: ${zk.source}; java: ${zk.java}`);
  // The GSSAPI tests need an MIT KDC and the optional native kerberos package (npm ci may not have built it).
  ensureKerberos((line) => console.log(`[test-all] ${line}`));
  // The man-page tests render it with groff and read the installed page with man.
  ensureMan((line) => console.log(`[test-all] ${line}`));
} catch (e) {
  console.error(`[test-all] cannot run the integration tests: ${(e as Error).message}`);
  process.exit(1);
}

const dirs = ['dist/test/unit', 'dist/test/integration', 'dist/test/e2e'].filter((d) => fs.existsSync(d));
const extra = process.argv.slice(2);
const r = spawnSync(process.execPath, ['--test', '--test-concurrency=1', '--test-timeout=300000', ...extra, ...dirs], {
  stdio: 'inherit',
});
process.exit(r.status ?? 1);
