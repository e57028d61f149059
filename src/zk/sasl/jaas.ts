/**
 * The JAAS login configuration file zkCli reads (-Djava.security.auth.login.config): sections of
 * login modules with options, as in
 *
 *   Client { org.apache.zookeeper.server.auth.DigestLoginModule required username="bob" password="…"; };
 *
 * Only what the ZooKeeper client uses is interpreted: DigestLoginModule's username/password (DIGEST-MD5)
 * and Krb5LoginModule's ticket cache and key tab options (GSSAPI).
 */
export interface JaasEntry {
  module: string;
  flag: string;
  options: Record<string, string>;
}

export class JaasError extends Error {
  override name = 'JaasError';
}

type Token = { kind: 'word' | 'string' | 'punct'; text: string; at: number };

function tokenize(text: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    const at = i;
    if (/\s/.test(c)) i++;
    else if (text.startsWith('//', i) || c === '#') {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (text.startsWith('/*', i)) {
      const end = text.indexOf('*/', i + 2);
      if (end < 0) throw new JaasError(`${where(text, at)}: unterminated /* comment`);
      i = end + 2;
    } else if (c === '"') {
      let s = '';
      i++;
      while (i < text.length && text[i] !== '"') {
        if (text[i] === '\\' && i + 1 < text.length) i++;
        s += text[i++];
      }
      if (i >= text.length) throw new JaasError(`${where(text, at)}: unterminated quoted value`);
      i++;
      out.push({ kind: 'string', text: s, at });
    } else if ('{};='.includes(c)) {
      out.push({ kind: 'punct', text: c, at });
      i++;
    } else {
      const m = /^[^\s{};="]+/.exec(text.slice(i))!;
      out.push({ kind: 'word', text: m[0], at });
      i += m[0].length;
    }
  }
  return out;
}

/** "line L, column C" (1-based) of an offset: parse errors say where, never what (it may be part of a password). */
function where(text: string, at: number): string {
  const before = text.slice(0, at);
  const line = before.split('\n').length;
  return `line ${line}, column ${at - before.lastIndexOf('\n')}`;
}

/** Java's ConfigFile takes these, in any case. */
const FLAGS = new Set(['required', 'requisite', 'sufficient', 'optional']);

/**
 * Parses every section as Java's ConfigFile does (flags checked, a section name given twice refused).
 * A malformed file throws JaasError with the line and column: no text from the file, since a
 * misplaced token may be part of an unquoted password.
 */
export function parseJaas(text: string): Map<string, JaasEntry[]> {
  const t = tokenize(text);
  let i = 0;
  const fail = (tok: Token | undefined, what: string): never => {
    throw new JaasError(tok ? `${where(text, tok.at)}: ${what}` : `unexpected end of file: ${what}`);
  };
  const isPunct = (tok: Token | undefined, p: string): boolean => tok?.kind === 'punct' && tok.text === p;
  const expect = (p: string, what: string): void => {
    const tok = t[i++];
    if (!isPunct(tok, p)) fail(tok, what);
  };
  const sections = new Map<string, JaasEntry[]>();
  while (i < t.length) {
    const name = t[i++]!;
    if (name.kind === 'punct') fail(name, 'expected a section name');
    expect('{', 'expected "{" after the section name');
    if (sections.has(name.text))
      fail(name, `section ${name.text} is given twice (Java: Can not specify multiple entries)`);
    const entries: JaasEntry[] = [];
    while (t[i] && !isPunct(t[i], '}')) {
      const module = t[i++]!;
      const flag = t[i++];
      if (module.kind !== 'word') fail(module, 'expected a login module class');
      if (flag?.kind !== 'word') fail(flag, 'expected a control flag (required, requisite, sufficient, optional)');
      if (!FLAGS.has(flag!.text.toLowerCase()))
        fail(flag, 'Invalid control flag: use required, requisite, sufficient or optional');
      const options: Record<string, string> = {};
      while (t[i] && !isPunct(t[i], ';')) {
        const key = t[i++]!;
        if (isPunct(key, '}')) fail(key, 'missing ";" after the options of a login module');
        if (key.kind !== 'word') fail(key, 'expected an option name');
        expect('=', 'expected "=" after an option name (quote values that hold spaces or ;{}=")');
        const value = t[i++];
        if (!value || value.kind === 'punct') fail(value, 'an option has no value');
        options[key.text] = value!.text;
      }
      expect(';', 'expected ";" after the options of a login module');
      entries.push({ module: module.text, flag: flag!.text.toLowerCase(), options });
    }
    expect('}', 'expected "}" to end the section');
    expect(';', 'expected ";" after "}"');
    sections.set(name.text, entries);
  }
  return sections;
}

/** What a JAAS section asks the ZooKeeper client to do. */
export type JaasLogin =
  | { mechanism: 'DIGEST-MD5'; username: string; password: string }
  | { mechanism: 'GSSAPI'; principal?: string; keyTab?: string; ticketCache?: string };

const DIGEST = 'org.apache.zookeeper.server.auth.DigestLoginModule';
const KRB5 = 'com.sun.security.auth.module.Krb5LoginModule';
/** IBM Java's, with its own option names (useKeytab/useCcache URLs, useDefaultCcache). */
const IBM_KRB5 = 'com.ibm.security.auth.module.Krb5LoginModule';
/** Krb5LoginModule options read with "true".equalsIgnoreCase: anything else is a typo, not false. */
const KRB5_BOOLEANS = [
  'useKeyTab',
  'storeKey',
  'useTicketCache',
  'doNotPrompt',
  'isInitiator',
  'refreshKrb5Config',
  'renewTGT',
  'storePass',
  'clearPass',
  'tryFirstPass',
  'useFirstPass',
  'debug',
  'useDefaultCcache',
  'useDefaultKeytab',
];

/** Strips IBM's file: URL form (useKeytab="file:///etc/zk.keytab"). */
const fileUrl = (v: string): string => v.replace(/^file:(\/\/(?=\/))?/, '');

function kerberos(section: string, e: JaasEntry): JaasLogin {
  const o = e.options;
  const bool = (k: string): boolean => {
    const v = o[k];
    if (v === undefined) return false;
    const l = v.trim().toLowerCase();
    if (l !== 'true' && l !== 'false') throw new JaasError(`section ${section}: ${k} must be true or false`);
    return l === 'true';
  };
  for (const k of KRB5_BOOLEANS) bool(k);
  const login: JaasLogin = { mechanism: 'GSSAPI' };
  if (o['principal']) login.principal = o['principal'];
  const ibm = e.module === IBM_KRB5;
  const keyTab = ibm
    ? o['useKeytab']
      ? fileUrl(o['useKeytab'])
      : undefined
    : bool('useKeyTab')
      ? (o['keyTab'] ?? '')
      : undefined;
  if (keyTab !== undefined) {
    if (!keyTab) throw new JaasError(`section ${section}: useKeyTab=true needs keyTab="FILE"`);
    login.keyTab = keyTab;
    if (!login.principal) throw new JaasError(`section ${section}: a key tab needs principal="user@REALM"`);
  }
  const cache = ibm ? (o['useCcache'] ? fileUrl(o['useCcache']) : undefined) : o['ticketCache'];
  if (cache) login.ticketCache = cache;
  return login;
}

/**
 * Reads the section the client uses (zookeeper.sasl.clientconfig, default "Client") as zkCli would.
 * Its login modules must be ones a ZooKeeper client can load (others are fine in other sections,
 * e.g. a Kafka broker's KafkaServer section in the same file).
 */
export function jaasLogin(sections: Map<string, JaasEntry[]>, section: string): JaasLogin {
  const entries = sections.get(section);
  if (!entries) {
    const names = [...sections.keys()];
    throw new JaasError(`no section "${section}" (found: ${names.length ? names.join(', ') : 'none'})`);
  }
  for (const e of entries) {
    if (e.module !== DIGEST && e.module !== KRB5 && e.module !== IBM_KRB5) {
      throw new JaasError(
        `section ${section}: login module ${e.module} cannot be used by a ZooKeeper client (use ${DIGEST} or ${KRB5})`,
      );
    }
  }
  const krb = entries.find((e) => e.module !== DIGEST);
  if (krb) return kerberos(section, krb);
  const digest = entries[0];
  if (!digest) throw new JaasError(`section ${section} has no login module`);
  const { username, password } = digest.options;
  if (username === undefined) throw new JaasError(`section ${section}: DigestLoginModule needs username="…"`);
  if (password === undefined) throw new JaasError(`section ${section}: username without password`);
  return { mechanism: 'DIGEST-MD5', username, password };
}
