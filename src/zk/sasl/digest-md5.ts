import crypto from 'node:crypto';
import type { SaslExchange, SaslMechanism } from './exchange.js';

/**
 * DIGEST-MD5 (RFC 2831) as ZooKeeper uses it: service "zookeeper", server name "zk-sasl-md5" (so the
 * digest-uri is "zookeeper/zk-sasl-md5"), qop "auth" only (no security layer), and the server's
 * rspauth checked so a server that does not know the password cannot pass for one that does.
 */
export const ZK_DIGEST_URI = 'zookeeper/zk-sasl-md5';

/** Parses `key=value, key="quoted \"value\""` directives; repeated keys (realm) keep every value. */
export function parseDirectives(text: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  let i = 0;
  const skip = (): void => {
    while (i < text.length && /[\s,]/.test(text[i]!)) i++;
  };
  while ((skip(), i < text.length)) {
    const eq = text.indexOf('=', i);
    if (eq < 0) throw new Error(`malformed DIGEST-MD5 challenge near "${text.slice(i, i + 20)}"`);
    const key = text.slice(i, eq).trim().toLowerCase();
    i = eq + 1;
    let value = '';
    if (text[i] === '"') {
      i++;
      while (i < text.length && text[i] !== '"') {
        if (text[i] === '\\' && i + 1 < text.length) i++;
        value += text[i++];
      }
      if (text[i] !== '"') throw new Error('unterminated quoted value in DIGEST-MD5 challenge');
      i++;
    } else {
      const end = text.indexOf(',', i);
      value = text.slice(i, end < 0 ? text.length : end).trim();
      i = end < 0 ? text.length : end;
    }
    out.set(key, [...(out.get(key) ?? []), value]);
  }
  return out;
}

const md5 = (...parts: (string | Buffer)[]): Buffer => {
  const h = crypto.createHash('md5');
  parts.forEach((p, n) => {
    if (n > 0) h.update(':');
    h.update(p);
  });
  return h.digest();
};
const quote = (s: string): string => `"${s.replace(/(["\\])/g, '\\$1')}"`;

export interface DigestInputs {
  username: string;
  password: string;
  realm: string;
  nonce: string;
  cnonce: string;
  nc: string;
  digestUri: string;
  utf8: boolean;
}

/** The response value (A2 = "AUTHENTICATE:uri") or, with `rspauth`, the server's expected proof (A2 = ":uri"). */
export function digestResponse(d: DigestInputs, rspauth = false): string {
  // RFC 2831 2.1.2.1: even with charset=utf-8, a string that fits ISO 8859-1 is hashed as ISO 8859-1.
  const bytes = (s: string): Buffer => Buffer.from(s, d.utf8 && /[^\u0000-\u00ff]/.test(s) ? 'utf8' : 'latin1');
  const secret = md5(bytes(d.username), bytes(d.realm), bytes(d.password));
  const ha1 = md5(secret, d.nonce, d.cnonce).toString('hex');
  const ha2 = md5(Buffer.from(`${rspauth ? '' : 'AUTHENTICATE'}:${d.digestUri}`)).toString('hex');
  return md5(ha1, d.nonce, d.nc, d.cnonce, 'auth', ha2).toString('hex');
}

/** The client side of one DIGEST-MD5 exchange: empty first token, response to the challenge, check rspauth. */
export class DigestMd5Exchange implements SaslExchange {
  private inputs: DigestInputs | null = null;
  private done = false;

  constructor(
    private readonly username: string,
    private readonly password: string,
    private readonly cnonce: string = crypto.randomBytes(24).toString('base64'),
    private readonly digestUri: string = ZK_DIGEST_URI,
  ) {}

  async initial(): Promise<Buffer> {
    return Buffer.alloc(0);
  }

  async step(serverToken: Buffer | null): Promise<Buffer | null> {
    return this.inputs ? this.verify(serverToken) : this.respond(serverToken);
  }

  private respond(token: Buffer | null): Buffer {
    if (!token || token.length === 0)
      throw new Error('the server sent no DIGEST-MD5 challenge (is SASL enabled on the server?)');
    const c = parseDirectives(token.toString('utf8'));
    const nonce = c.get('nonce')?.[0];
    if (!nonce) throw new Error("the server's DIGEST-MD5 challenge has no nonce");
    const algorithm = c.get('algorithm')?.[0];
    if (algorithm !== 'md5-sess')
      throw new Error(`the server asks for DIGEST-MD5 algorithm ${algorithm ?? '(none)'}, not md5-sess`);
    const qops = (c.get('qop')?.[0] ?? 'auth').split(',').map((q) => q.trim());
    if (!qops.includes('auth'))
      throw new Error(
        `the server requires a SASL security layer (qop=${qops.join(',')}), which zk-shell does not support`,
      );
    const utf8 = c.get('charset')?.[0]?.toLowerCase() === 'utf-8';
    this.inputs = {
      username: this.username,
      password: this.password,
      realm: c.get('realm')?.[0] ?? '',
      nonce,
      cnonce: this.cnonce,
      nc: '00000001',
      digestUri: this.digestUri,
      utf8,
    };
    const d = this.inputs;
    const fields = [
      ...(utf8 ? ['charset=utf-8'] : []),
      `username=${quote(d.username)}`,
      ...(c.has('realm') ? [`realm=${quote(d.realm)}`] : []),
      `nonce=${quote(nonce)}`,
      `nc=${d.nc}`,
      `cnonce=${quote(d.cnonce)}`,
      `digest-uri=${quote(d.digestUri)}`,
      `response=${digestResponse(d)}`,
      'qop=auth',
    ];
    return Buffer.from(fields.join(','), utf8 ? 'utf8' : 'latin1');
  }

  private verify(token: Buffer | null): null {
    if (this.done) return null;
    this.done = true;
    const rsp = token ? parseDirectives(token.toString('utf8')).get('rspauth')?.[0] : undefined;
    if (!rsp) throw new Error('the server did not prove it knows the password (no rspauth)');
    if (rsp.toLowerCase() !== digestResponse(this.inputs!, true))
      throw new Error("the server's rspauth is wrong: it does not know the password");
    return null;
  }
}

export function digestMd5(username: string, password: string): SaslMechanism {
  return {
    name: 'DIGEST-MD5',
    who: `'${username}'`,
    begin: () => Promise.resolve(new DigestMd5Exchange(username, password)),
  };
}
