/** Credentials for every session, from ZK_SHELL_AUTH=scheme:auth (e.g. digest:user:password). */
export interface Credential {
  readonly scheme: string;
  readonly auth: string;
}

export const AUTH_ENV = 'ZK_SHELL_AUTH';

/**
 * Reads ZK_SHELL_AUTH and removes it from this process's environment, so that nothing started from
 * here (openssl, a pager) inherits it. Errors never include the value.
 */
export function takeEnvAuth(env: NodeJS.ProcessEnv = process.env): Credential[] {
  const v = env[AUTH_ENV];
  if (v === undefined) return [];
  delete env[AUTH_ENV];
  const colon = v.indexOf(':');
  if (colon <= 0 || colon === v.length - 1) throw new Error(`${AUTH_ENV} must be scheme:auth, e.g. digest:user:password`);
  const scheme = v.slice(0, colon);
  const auth = v.slice(colon + 1);
  if (scheme === 'digest' && auth.indexOf(':') <= 0) throw new Error(`${AUTH_ENV}=digest:… must be digest:user:password`);
  return [{ scheme, auth }];
}
