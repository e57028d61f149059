// npm run gen:man: rewrites man/zk-shell.1 from the specs (a test fails when it is stale).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderManPage } from '../src/doc/man.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
fs.writeFileSync(path.join(root, 'man', 'zk-shell.1'), renderManPage());
console.log('wrote man/zk-shell.1');
