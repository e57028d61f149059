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

type Token = { kind: 'word' | 'string' | 'punct'; text: string };

function tokenize(text: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) i++;
    else if (text.startsWith('//', i) || c === '#') {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (text.startsWith('/*', i)) {
      const end = text.indexOf('*/', i + 2);
      if (end < 0) throw new JaasError('unterminated /* comment');
      i = end + 2;
    } else if (c === '"') {
      let s = '';
      i++;
      while (i < text.length && text[i] !== '"') {
        if (text[i] === '\\' && i + 1 < text.length) i++;
        s += text[i++];
      }
      if (i >= text.length) throw new JaasError('unterminated quoted value');
      i++;
      out.push({ kind: 'string', text: s });
    } else if ('{};='.includes(c)) {
      out.push({ kind: 'punct', text: c });
      i++;
    } else {
      const m = /^[^\s{};="]+/.exec(text.slice(i))!;
      out.push({ kind: 'word', text: m[0] });
      i += m[0].length;
    }
  }
  return out;
}

/** Parses every section; a malformed file throws JaasError saying where (never quoting a value). */
export function parseJaas(text: string): Map<string, JaasEntry[]> {
  const t = tokenize(text);
  let i = 0;
  const next = (what: string): Token => {
    const tok = t[i++];
    if (!tok) throw new JaasError(`unexpected end of file, expected ${what}`);
    return tok;
  };
  const expect = (p: string): void => {
    const tok = next(`"${p}"`);
    if (tok.kind !== 'punct' || tok.text !== p) throw new JaasError(`expected "${p}" but found "${tok.kind === 'string' ? '"…"' : tok.text}"`);
  };
  const sections = new Map<string, JaasEntry[]>();
  while (i < t.length) {
    const name = next('a section name');
    if (name.kind === 'punct') throw new JaasError(`expected a section name but found "${name.text}"`);
    expect('{');
    const entries: JaasEntry[] = [];
    while (t[i] && !(t[i]!.kind === 'punct' && t[i]!.text === '}')) {
      const module = next('a login module class');
      const flag = next('a control flag (required, requisite, sufficient, optional)');
      if (module.kind !== 'word' || flag.kind !== 'word') throw new JaasError(`section ${name.text}: expected "LoginModuleClass flag key=value …;"`);
      const options: Record<string, string> = {};
      while (t[i] && !(t[i]!.kind === 'punct' && t[i]!.text === ';')) {
        const key = next('an option name');
        if (key.kind === 'punct' && key.text === '}') throw new JaasError(`section ${name.text}: missing ";" after the options of ${module.text}`);
        if (key.kind !== 'word') throw new JaasError(`section ${name.text}: expected an option name in ${module.text}`);
        expect('=');
        const value = next(`a value for ${key.text}`);
        if (value.kind === 'punct') throw new JaasError(`section ${name.text}: option ${key.text} has no value`);
        options[key.text] = value.text;
      }
      expect(';');
      entries.push({ module: module.text, flag: flag.text.toLowerCase(), options });
    }
    expect('}');
    expect(';');
    sections.set(name.text, entries);
  }
  return sections;
}

/** What a JAAS section asks the ZooKeeper client to do. */
export type JaasLogin =
  | { mechanism: 'DIGEST-MD5'; username: string; password: string }
  | { mechanism: 'GSSAPI'; principal?: string; keyTab?: string; ticketCache?: string };

/** Reads the section the client uses (zookeeper.sasl.clientconfig, default "Client") as zkCli would. */
export function jaasLogin(sections: Map<string, JaasEntry[]>, section: string): JaasLogin {
  const entries = sections.get(section);
  if (!entries) {
    const names = [...sections.keys()];
    throw new JaasError(`no section "${section}" (found: ${names.length ? names.join(', ') : 'none'})`);
  }
  const krb = entries.find((e) => /(^|\.)Krb5LoginModule$/.test(e.module));
  if (krb) {
    const o = krb.options;
    const login: JaasLogin = { mechanism: 'GSSAPI' };
    if (o['principal']) login.principal = o['principal'];
    if (o['useKeyTab'] === 'true') {
      if (!o['keyTab']) throw new JaasError(`section ${section}: useKeyTab=true needs keyTab="FILE"`);
      login.keyTab = o['keyTab'];
      if (!login.principal) throw new JaasError(`section ${section}: useKeyTab=true needs principal="user@REALM"`);
    }
    if (o['ticketCache']) login.ticketCache = o['ticketCache'];
    return login;
  }
  const digest = entries.find((e) => e.options['username'] !== undefined);
  if (digest) {
    const password = digest.options['password'];
    if (password === undefined) throw new JaasError(`section ${section}: username without password`);
    return { mechanism: 'DIGEST-MD5', username: digest.options['username']!, password };
  }
  throw new JaasError(`section ${section} has neither username/password (DigestLoginModule) nor Krb5LoginModule`);
}
