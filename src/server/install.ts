import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/** Where the ZooKeeper jars and Java were found. */
export interface ZkInstall {
  java: string;
  classpath: string;
  /** The zkCli main class can run with this classpath (used by the benchmark). */
  source: string;
}

const DEBIAN_JARS = '/usr/share/java';
// The Debian jar's manifest omits netty's codec/resolver (needed by the TLS server factory) and the
// AdminServer needs servlet-api: add them explicitly.
const DEBIAN_EXTRA = [
  'netty-codec.jar',
  'netty-resolver.jar',
  'netty-transport-native-unix-common.jar',
  'servlet-api.jar',
  'slf4j-simple.jar',
];

/** Thrown when no ZooKeeper can be found or installed; the message is one line saying what to do. */
export class ZooKeeperUnavailable extends Error {
  override name = 'ZooKeeperUnavailable';
}

function findJava(): string | null {
  const home = process.env['JAVA_HOME'];
  if (home && fs.existsSync(path.join(home, 'bin', 'java'))) return path.join(home, 'bin', 'java');
  const r = spawnSync('sh', ['-c', 'command -v java'], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.trim() ? r.stdout.trim() : null;
}

/** Looks for ZooKeeper in $ZOOKEEPER_HOME, then Debian's package. */
export function findZooKeeper(): ZkInstall | null {
  const java = findJava();
  if (!java) return null;
  const home = process.env['ZOOKEEPER_HOME'];
  if (home) {
    const lib = path.join(home, 'lib');
    if (fs.existsSync(lib)) {
      const jars = fs
        .readdirSync(lib)
        .filter((f) => f.endsWith('.jar'))
        .map((f) => path.join(lib, f));
      const main = fs
        .readdirSync(home)
        .filter((f) => /^zookeeper-.*\.jar$/.test(f))
        .map((f) => path.join(home, f));
      if (jars.some((j) => /zookeeper-\d/.test(j)) || main.length > 0) {
        return { java, classpath: [...main, ...jars, path.join(home, 'conf')].join(':'), source: home };
      }
    }
  }
  const jar = path.join(DEBIAN_JARS, 'zookeeper.jar');
  if (fs.existsSync(jar)) {
    const extra = DEBIAN_EXTRA.map((j) => path.join(DEBIAN_JARS, j)).filter((j) => fs.existsSync(j));
    return { java, classpath: [jar, ...extra].join(':'), source: 'debian zookeeper package' };
  }
  return null;
}

const isRoot = (): boolean => typeof process.getuid === 'function' && process.getuid() === 0;
const isDebian = (): boolean =>
  fs.existsSync('/etc/debian_version') && spawnSync('sh', ['-c', 'command -v apt-get']).status === 0;

/**
 * Finds ZooKeeper, installing Debian's package (and a JRE if Java is missing) when running as root on
 * Debian. Otherwise it fails with a one-line instruction. `log` receives progress lines.
 */
export function ensureZooKeeper(log: (line: string) => void = () => undefined): ZkInstall {
  const found = findZooKeeper();
  // Debian's zookeeper runs without servlet-api, but then has no AdminServer: complete it when we can.
  const complete =
    found !== null &&
    (found.source !== 'debian zookeeper package' || fs.existsSync(path.join(DEBIAN_JARS, 'servlet-api.jar')));
  if (found && complete) return found;
  if (!isRoot() || !isDebian()) {
    if (found) return found;
    throw new ZooKeeperUnavailable(
      'ZooKeeper not found: install it (Debian/Ubuntu: sudo apt-get install zookeeper libservlet-api-java) or set ZOOKEEPER_HOME to an unpacked Apache ZooKeeper release',
    );
  }
  const pkgs = ['zookeeper', 'libservlet-api-java'];
  if (!findJava()) pkgs.push('default-jre-headless');
  log(`installing ${pkgs.join(' ')} with apt-get (as root)…`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const install = (): void => {
    execFileSync('apt-get', ['install', '-y', '-q', '--no-install-recommends', ...pkgs], {
      env,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
  };
  try {
    install();
  } catch {
    // A fresh machine has no package lists yet.
    try {
      execFileSync('apt-get', ['update', '-q'], { env, stdio: ['ignore', 'ignore', 'pipe'] });
      install();
    } catch (e) {
      const stderr = (e as { stderr?: Buffer }).stderr?.toString().trim().split('\n').pop() ?? String(e);
      throw new ZooKeeperUnavailable(`apt-get could not install ${pkgs.join(' ')}: ${stderr}`);
    }
  }
  const after = findZooKeeper();
  if (!after) throw new ZooKeeperUnavailable('apt-get installed zookeeper but its jars or java were not found');
  return after;
}

const works = (cmd: string): boolean => spawnSync(cmd, ['--version'], { stdio: 'ignore' }).status === 0;

/**
 * man and groff, which the man-page tests run: installed with apt (man-db brings groff-base) when
 * missing and running as root on Debian; otherwise a one-line instruction.
 */
export function ensureMan(log: (line: string) => void = () => undefined): void {
  if (works('man') && works('groff')) return;
  const pkgs = ['man-db', 'groff-base'];
  if (!isRoot() || !isDebian())
    throw new ZooKeeperUnavailable(
      `man and groff not found: install them (Debian/Ubuntu: sudo apt-get install ${pkgs.join(' ')})`,
    );
  log(`installing ${pkgs.join(' ')} with apt-get (as root)…`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const args = ['install', '-y', '-q', '--no-install-recommends', ...pkgs];
  const install = (): ReturnType<typeof spawnSync> =>
    spawnSync('apt-get', args, { env, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  let r = install();
  if (r.status !== 0) {
    // A fresh machine has no package lists yet.
    spawnSync('apt-get', ['update', '-q'], { env, stdio: 'ignore' });
    r = install();
  }
  if (r.status !== 0 || !works('man') || !works('groff')) {
    throw new ZooKeeperUnavailable(
      `apt-get could not install ${pkgs.join(' ')}: ${
        String(r.stderr ?? '')
          .trim()
          .split('\n')
          .pop() ?? ''
      }`,
    );
  }
}

/** Where the MIT Kerberos tools the test KDC needs are (null when one is missing). */
export interface KrbTools {
  kdb5util: string;
  kadminLocal: string;
  krb5kdc: string;
  kinit: string;
  klist: string;
}

const KRB_DIRS = ['/usr/sbin', '/usr/bin', '/sbin', '/bin', '/usr/local/sbin', '/usr/local/bin'];
function findKrbTools(): KrbTools | null {
  const find = (name: string): string | undefined =>
    KRB_DIRS.map((d) => path.join(d, name)).find((p) => fs.existsSync(p));
  const t = {
    kdb5util: find('kdb5_util'),
    kadminLocal: find('kadmin.local'),
    krb5kdc: find('krb5kdc'),
    kinit: find('kinit'),
    klist: find('klist'),
  };
  return Object.values(t).every(Boolean) ? (t as KrbTools) : null;
}

/** Whether the optional native `kerberos` package loads (it needs libkrb5-dev to build). */
function kerberosPackageLoads(): boolean {
  return (
    spawnSync(process.execPath, ['-e', "require('kerberos')"], { cwd: projectRoot(), stdio: 'ignore' }).status === 0
  );
}

function projectRoot(): string {
  let dir = path.dirname(new URL(import.meta.url).pathname);
  while (dir !== path.dirname(dir) && !fs.existsSync(path.join(dir, 'package.json'))) dir = path.dirname(dir);
  return dir;
}

/**
 * What the GSSAPI tests need: an MIT KDC and its admin tools, and the `kerberos` package built against
 * libkrb5-dev. On a fresh machine `npm ci` could not build that optional package (no headers yet), so
 * as root on Debian this installs the apt packages and then the npm package (not saved). Otherwise it
 * fails with a one-line instruction.
 */
export function ensureKerberos(log: (line: string) => void = () => undefined): KrbTools {
  let tools = findKrbTools();
  const canInstall = isRoot() && isDebian();
  if (!tools || !fs.existsSync('/usr/include/gssapi/gssapi.h')) {
    const pkgs = ['krb5-kdc', 'krb5-admin-server', 'krb5-user', 'libkrb5-dev'];
    if (!canInstall) {
      if (tools && kerberosPackageLoads()) return tools;
      throw new ZooKeeperUnavailable(
        `MIT Kerberos not found: install it (Debian/Ubuntu: sudo apt-get install ${pkgs.join(' ')}), then npm install kerberos`,
      );
    }
    log(`installing ${pkgs.join(' ')} with apt-get (as root)…`);
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    const args = ['install', '-y', '-q', '--no-install-recommends', ...pkgs];
    try {
      execFileSync('apt-get', args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    } catch {
      try {
        execFileSync('apt-get', ['update', '-q'], { env, stdio: ['ignore', 'ignore', 'pipe'] });
        execFileSync('apt-get', args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
      } catch (e) {
        const stderr = (e as { stderr?: Buffer }).stderr?.toString().trim().split('\n').pop() ?? String(e);
        throw new ZooKeeperUnavailable(`apt-get could not install ${pkgs.join(' ')}: ${stderr}`);
      }
    }
    tools = findKrbTools();
    if (!tools)
      throw new ZooKeeperUnavailable('apt-get installed MIT Kerberos but krb5kdc, kadmin.local or kinit was not found');
  }
  if (!kerberosPackageLoads()) {
    const root = projectRoot();
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {
      optionalDependencies?: Record<string, string>;
    };
    const spec = `kerberos@${pkg.optionalDependencies?.['kerberos'] ?? 'latest'}`;
    log(`building the optional ${spec} package (npm install --no-save)…`);
    const r = spawnSync('npm', ['install', '--no-save', '--no-audit', '--no-fund', spec], {
      cwd: root,
      stdio: ['ignore', 'ignore', 'pipe'],
      encoding: 'utf8',
    });
    if (r.status !== 0 || !kerberosPackageLoads()) {
      throw new ZooKeeperUnavailable(
        `the kerberos npm package did not build: ${(r.stderr ?? '').trim().split('\n').pop() ?? r.error?.message}`,
      );
    }
  }
  return tools;
}
