import fs from 'node:fs';
import { digestMd5 } from '../zk/sasl/digest-md5.js';
import { saslAuthenticator, type SaslAuthenticator, type SaslMechanism } from '../zk/sasl/exchange.js';
import { gssapi, type GssapiOptions } from '../zk/sasl/gssapi.js';
import { JaasError, jaasLogin, parseJaas } from '../zk/sasl/jaas.js';
import { parseProperties } from './client-config.js';
import { takeSaslPassword } from './env-auth.js';

/** A SASL set-up that cannot work; one line, never a password. Exit 2 (usage). */
export class SaslConfigError extends Error {
  override name = 'SaslConfigError';
}

export interface SaslCliOptions {
  /** --jaas, or ZK_SHELL_JAAS (zkCli: -Djava.security.auth.login.config). */
  jaas?: string | undefined;
  saslUser?: string | undefined;
  saslPasswordFile?: string | undefined;
  saslMechanism?: string | undefined;
  clientConfiguration?: string | undefined;
}

/** zkCli's SASL client properties, as read from a -client-configuration file. */
export interface SaslProperties {
  enabled: boolean;
  /** zookeeper.sasl.clientconfig: the JAAS section (default "Client"). */
  section: string;
  gss: Pick<GssapiOptions, 'serverPrincipal' | 'serviceName' | 'canonicalize'>;
}

export function saslProperties(props: Record<string, string>): SaslProperties {
  const gss: SaslProperties['gss'] = {};
  const principal = props['zookeeper.server.principal'];
  if (principal) gss.serverPrincipal = principal;
  const service = props['zookeeper.sasl.client.username'];
  if (service) gss.serviceName = service;
  const canon = props['zookeeper.sasl.client.canonicalize.hostname'];
  if (canon !== undefined) gss.canonicalize = canon.trim().toLowerCase() !== 'false';
  return {
    enabled: props['zookeeper.sasl.client']?.trim().toLowerCase() !== 'false',
    section: props['zookeeper.sasl.clientconfig']?.trim() || 'Client',
    gss,
  };
}

const readText = (file: string, what: string): string => {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new SaslConfigError(
      `cannot read ${what} ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
    );
  }
};

/**
 * The password for --sasl-user: --sasl-password-file (an explicit option beats the environment), then
 * ZK_SHELL_SASL_PASSWORD, then (REPL only) a no-echo prompt.
 */
async function digestPassword(
  o: SaslCliOptions,
  env: NodeJS.ProcessEnv,
  ask?: (message: string) => Promise<string>,
): Promise<string> {
  const fromEnv = takeSaslPassword(env);
  if (o.saslPasswordFile) {
    const p = readText(o.saslPasswordFile, 'SASL password file').replace(/\r?\n$/, '');
    if (!p) throw new SaslConfigError(`SASL password file ${o.saslPasswordFile} is empty`);
    return p;
  }
  if (fromEnv !== undefined) return fromEnv;
  if (ask) return ask(`SASL password for ${o.saslUser}:`);
  throw new SaslConfigError(
    `--sasl-user ${o.saslUser} needs a password: set ZK_SHELL_SASL_PASSWORD or use --sasl-password-file FILE (it is never taken on the command line)`,
  );
}

/**
 * Works out which SASL mechanism the options ask for, as zkCli would from its JAAS file and client
 * properties: --sasl-user (DIGEST-MD5), --sasl-mechanism GSSAPI (ticket cache), else the JAAS
 * `Client` section. Undefined when none is asked for.
 */
export async function resolveSasl(
  o: SaslCliOptions,
  env: NodeJS.ProcessEnv = process.env,
  ask?: (message: string) => Promise<string>,
): Promise<SaslAuthenticator | undefined> {
  const mech = o.saslMechanism?.toUpperCase();
  if (mech !== undefined && mech !== 'DIGEST-MD5' && mech !== 'GSSAPI') {
    throw new SaslConfigError(`--sasl-mechanism must be DIGEST-MD5 or GSSAPI, got: ${o.saslMechanism}`);
  }
  if (o.saslUser !== undefined && mech === 'GSSAPI')
    throw new SaslConfigError(
      '--sasl-user is for DIGEST-MD5; GSSAPI takes its principal from the ticket cache or the JAAS file',
    );
  const props =
    o.clientConfiguration && fs.existsSync(o.clientConfiguration)
      ? saslProperties(parseProperties(readText(o.clientConfiguration, 'client configuration')))
      : saslProperties({});
  let m: SaslMechanism | undefined;
  if (o.saslUser !== undefined) {
    if (!o.saslUser) throw new SaslConfigError('--sasl-user needs a user name');
    m = digestMd5(o.saslUser, await digestPassword(o, env, ask));
  } else if (o.jaas && props.enabled) {
    let login;
    try {
      login = jaasLogin(parseJaas(readText(o.jaas, 'JAAS file')), props.section);
    } catch (e) {
      if (e instanceof JaasError) throw new SaslConfigError(`JAAS file ${o.jaas}: ${e.message}`);
      throw e;
    }
    if (mech && mech !== login.mechanism)
      throw new SaslConfigError(
        `--sasl-mechanism ${mech}, but the JAAS section ${props.section} of ${o.jaas} is for ${login.mechanism}`,
      );
    // MIT Kerberos would only say it cannot find the principal "in cache collection".
    if (login.mechanism === 'GSSAPI' && login.keyTab) {
      try {
        fs.accessSync(login.keyTab, fs.constants.R_OK);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        throw new SaslConfigError(
          code === 'ENOENT'
            ? `key tab ${login.keyTab} not found`
            : `cannot read key tab ${login.keyTab}: ${code ?? (e as Error).message}`,
        );
      }
    }
    if (login.mechanism === 'DIGEST-MD5') m = digestMd5(login.username, login.password);
    else {
      const { mechanism: _, ...creds } = login;
      m = gssapi({ ...creds, ...props.gss });
    }
  } else if (mech === 'GSSAPI') {
    m = gssapi({ ...props.gss });
  } else if (mech === 'DIGEST-MD5') {
    throw new SaslConfigError(
      '--sasl-mechanism DIGEST-MD5 needs --sasl-user or a JAAS file (--jaas) with username and password',
    );
  }
  return m ? saslAuthenticator(m) : undefined;
}
