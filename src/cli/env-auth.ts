/** Credentials for every session, from ZK_SHELL_AUTH=scheme:auth (e.g. digest:user:password). */
export interface Credential {
  readonly scheme: string;
  readonly auth: string;
}

export const AUTH_ENV = 'ZK_SHELL_AUTH';

export const SASL_PASSWORD_ENV = 'ZK_SHELL_SASL_PASSWORD';
let heldSaslPassword: string | undefined;

/**
 * ZK_SHELL_SASL_PASSWORD, removed from `env` on the first call (later calls on process.env get the
 * value taken then). Empty is unset.
 */
export function takeSaslPassword(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const v = env[SASL_PASSWORD_ENV];
  if (v === undefined) return env === process.env ? heldSaslPassword : undefined;
  delete env[SASL_PASSWORD_ENV];
  const value = v === '' ? undefined : v;
  if (env === process.env) heldSaslPassword = value;
  return value;
}

/**
 * Reads ZK_SHELL_AUTH and removes it and ZK_SHELL_SASL_PASSWORD (kept for takeSaslPassword) from this
 * process's environment, so that nothing started from here (openssl for a PKCS12 store) inherits them.
 * /proc/PID/environ of this process still shows the values it started with. Errors never include a value.
 */
export function takeEnvAuth(env: NodeJS.ProcessEnv = process.env): Credential[] {
  takeSaslPassword(env);
  const v = env[AUTH_ENV];
  if (v === undefined) return [];
  delete env[AUTH_ENV];
  const colon = v.indexOf(':');
  if (colon <= 0 || colon === v.length - 1)
    throw new Error(`${AUTH_ENV} must be scheme:auth, e.g. digest:user:password`);
  const scheme = v.slice(0, colon);
  const auth = v.slice(colon + 1);
  if (scheme === 'digest' && auth.indexOf(':') <= 0)
    throw new Error(`${AUTH_ENV}=digest:… must be digest:user:password`);
  return [{ scheme, auth }];
}
