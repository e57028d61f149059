// Lets `npm run sandbox` skip the ~10 s build when dist/ was built from the sources as they are now.
// The build records a hash of its inputs (contents, not mtimes: a checkout or a copy can give an old
// file a new time or a new file an old one). Plain JS, so it runs before anything is compiled.
//   begin  remove dist/ and note the inputs' hash (taken before compiling: an edit during the build counts)
//   end    the build succeeded: the noted hash becomes dist/.inputs-hash
//   fresh  exit 0 when dist/.inputs-hash matches the sources, else say so and exit 1
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DIST = path.join(ROOT, 'dist');
const STAMP = path.join(DIST, '.inputs-hash');
const PENDING = `${STAMP}.pending`;
// Everything tsc (tsconfig include) and esbuild read, and what decides the compiler versions.
const INPUTS = ['src', 'test', 'scripts', 'tsconfig.json', 'package.json', 'package-lock.json'];

function inputsHash() {
  const h = crypto.createHash('sha256');
  const add = (rel) => {
    const abs = path.join(ROOT, rel);
    if (!fs.existsSync(abs)) return;
    if (fs.statSync(abs).isDirectory()) {
      for (const e of fs.readdirSync(abs).sort()) add(path.join(rel, e));
      return;
    }
    h.update(`${rel}\0`).update(fs.readFileSync(abs)).update('\0');
  };
  for (const i of INPUTS) add(i);
  return h.digest('hex');
}

const read = (f) => {
  try {
    return fs.readFileSync(f, 'utf8');
  } catch {
    return null;
  }
};

switch (process.argv[2]) {
  case 'begin':
    fs.rmSync(DIST, { recursive: true, force: true });
    fs.mkdirSync(DIST, { recursive: true });
    fs.writeFileSync(PENDING, inputsHash());
    break;
  case 'end':
    fs.renameSync(PENDING, STAMP);
    break;
  case 'fresh': {
    const fresh = read(STAMP) === inputsHash() && fs.existsSync(path.join(DIST, 'bundle', 'main.js'));
    if (!fresh) console.error('zk-shell: building (the sources changed since the last build)…');
    process.exit(fresh ? 0 : 1);
    break;
  }
  default:
    console.error('usage: node scripts/build-stamp.mjs begin|end|fresh');
    process.exit(2);
}
