import dns from 'node:dns/promises';
import { createRequire } from 'node:module';
import net from 'node:net';
import type { HostPort } from '../host-provider.js';
import { SaslError, type SaslExchange, type SaslMechanism } from './exchange.js';

/** The part of the optional `kerberos` package (MIT GSS-API bindings) used here. */
interface KerberosClient {
  username: string;
  contextComplete: boolean;
  step(challenge: string): Promise<string>;
  unwrap(challenge: string): Promise<string>;
  wrap(challenge: string, options?: { user?: string; protect?: boolean }): Promise<string>;
}
interface KerberosModule {
  initializeClient(service: string, options?: { principal?: string }): Promise<KerberosClient>;
}

export interface GssapiOptions {
  /** Client principal (JAAS `principal`); default: the ticket cache's. */
  principal?: string;
  /** Client key tab (JAAS `useKeyTab=true keyTab=…`): tickets are got from it into a private cache. */
  keyTab?: string;
  /** Ticket cache (JAAS `ticketCache`); default KRB5CCNAME or the system default. */
  ticketCache?: string;
  /** zookeeper.server.principal: the whole service principal, used as given. */
  serverPrincipal?: string;
  /** zookeeper.sasl.client.username: the service name (default "zookeeper"). */
  serviceName?: string;
  /** zookeeper.sasl.client.canonicalize.hostname (default true). */
  canonicalize?: boolean;
}

/** Thrown when GSSAPI is asked for and the native `kerberos` package is missing. */
export const KERBEROS_MISSING =
  "SASL GSSAPI needs the optional 'kerberos' package, which is not installed or did not build (install libkrb5-dev, then: npm install kerberos)";

let loaded: Promise<KerberosModule> | null = null;
/** Loads the native bindings on first use only: DIGEST-MD5 and plain sessions never touch them. */
export function loadKerberos(): Promise<KerberosModule> {
  // A variable specifier keeps tsc and esbuild from resolving a package that may not be installed;
  // require, not import(): the start-up snapshot cannot import() (the package is CommonJS anyway).
  const name = 'kerberos';
  loaded ??= new Promise<KerberosModule>((resolve) =>
    resolve(createRequire(import.meta.url)(name) as KerberosModule),
  ).catch(() => {
    loaded = null;
    throw new SaslError(KERBEROS_MISSING);
  });
  return loaded;
}

/**
 * The service principal zkCli derives for a server: zookeeper.server.principal when set, else
 * "<zookeeper.sasl.client.username>/<host>", the host canonicalized by a forward and reverse lookup
 * unless that yields only the address (SaslServerPrincipal).
 */
export async function servicePrincipal(host: HostPort, o: GssapiOptions): Promise<string> {
  if (o.serverPrincipal) return o.serverPrincipal;
  let name = host.host;
  if (o.canonicalize ?? true) {
    try {
      const address = net.isIP(name) ? name : (await dns.lookup(name)).address;
      const { hostname } = await dns.lookupService(address, host.port);
      if (hostname && hostname !== address) name = hostname;
    } catch {
      // As Java: an address that cannot be resolved keeps the name as given.
    }
  }
  return `${o.serviceName ?? 'zookeeper'}/${name}`;
}

/**
 * GSS-API names a service "service@host"; the realm comes from krb5.conf ([domain_realm], else the
 * default realm), as for every MIT client.
 */
export function gssServiceName(principal: string): string {
  const noRealm = principal.replace(/@[^@/]*$/, '');
  const slash = noRealm.indexOf('/');
  return slash < 0 ? noRealm : `${noRealm.slice(0, slash)}@${noRealm.slice(slash + 1)}`;
}

const oneLine = (e: unknown): string => (e instanceof Error ? e.message : String(e)).replace(/\s+/g, ' ').trim();

function notKerberos(token: Buffer): string {
  const digest = /\bnonce=/.test(token.toString('latin1')) ? ' (it answered with a DIGEST-MD5 challenge)' : '';
  return `the server did not accept GSSAPI: is it configured for Kerberos?${digest}`;
}

/** RFC 4752: the Kerberos context, then the server's security-layer offer answered with "no layer". */
class GssapiExchange implements SaslExchange {
  private phase: 'context' | 'layer' | 'done' = 'context';

  constructor(
    private readonly client: KerberosClient,
    private readonly principal: string | undefined,
  ) {}

  async initial(): Promise<Buffer> {
    return Buffer.from(await this.client.step(''), 'base64');
  }

  async step(token: Buffer | null): Promise<Buffer | null> {
    const b64 = token?.toString('base64') ?? '';
    if (this.phase === 'context' && !this.client.contextComplete) {
      // The server's AP-REP; once the context is complete an empty token asks for the layer offer.
      let out: string;
      try {
        out = await this.client.step(b64);
      } catch (e) {
        // GSS-API tokens are DER framed (0x60). Anything else means the server runs another mechanism:
        // MIT's own words for that ("Invalid token was supplied: Success") do not say so.
        if (token && token.length > 0 && token[0] !== 0x60) throw new Error(notKerberos(token));
        throw e;
      }
      if (this.client.contextComplete) this.phase = 'layer';
      return Buffer.from(out ?? '', 'base64');
    }
    if (this.phase !== 'done') {
      if (!b64) throw new Error('the server sent no security-layer offer');
      const offer = await this.client.unwrap(b64);
      this.phase = 'done';
      // Authorization id: our own principal, as the Java client sends it.
      const user = this.principal ?? this.client.username;
      return Buffer.from(await this.client.wrap(offer, { user, protect: false }), 'base64');
    }
    return null;
  }
}

/** Points MIT Kerberos at the JAAS key tab / ticket cache; process-wide, as JAAS login is. */
function configureCredentials(o: GssapiOptions): void {
  if (o.keyTab) {
    process.env['KRB5_CLIENT_KTNAME'] = o.keyTab;
    // Tickets got from the key tab go to a private cache, never over the user's own.
    if (!o.ticketCache) process.env['KRB5CCNAME'] = `MEMORY:zk-shell-${process.pid}`;
  }
  if (o.ticketCache)
    process.env['KRB5CCNAME'] = /^[A-Z]+:/.test(o.ticketCache) ? o.ticketCache : `FILE:${o.ticketCache}`;
}

export function gssapi(o: GssapiOptions): SaslMechanism {
  const who = o.principal ? `'${o.principal}'` : 'the ticket cache principal';
  return {
    name: 'GSSAPI',
    who,
    async begin(host) {
      const krb = await loadKerberos();
      configureCredentials(o);
      const service = gssServiceName(await servicePrincipal(host, o));
      let client: KerberosClient;
      try {
        client = await krb.initializeClient(service, o.principal ? { principal: o.principal } : {});
      } catch (e) {
        throw new SaslError(`SASL GSSAPI authentication as ${who} failed: ${oneLine(e)}`);
      }
      const exchange = new GssapiExchange(client, o.principal);
      // Native errors (no ticket, unknown service principal) name the cause on one line.
      return {
        initial: () =>
          exchange.initial().catch((e: unknown) => {
            throw new Error(oneLine(e));
          }),
        step: (t) =>
          exchange.step(t).catch((e: unknown) => {
            throw new Error(oneLine(e));
          }),
      };
    },
  };
}
