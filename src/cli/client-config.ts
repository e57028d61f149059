import fs from 'node:fs';
import type { TlsOptions } from '../zk/transport.js';
import { ClientConfigError, parseProperties } from './java-properties.js';
import { tlsFromProperties } from './tls-properties.js';

export { ClientConfigError, javaBoolean, parseProperties } from './java-properties.js';
export { ianaToOpenssl, tlsFromProperties } from './tls-properties.js';

/** Loads a -client-configuration file; `warn` gets one line per setting that is ignored. */
export function loadClientConfig(file: string, warn: (line: string) => void = () => undefined): TlsOptions | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new ClientConfigError(`client configuration file not found: ${file}`);
    throw new ClientConfigError(`cannot read client configuration ${file}: ${code ?? (e as Error).message}`);
  }
  try {
    return tlsFromProperties(parseProperties(text), warn);
  } catch (e) {
    if (e instanceof ClientConfigError) e.message = `${file}: ${e.message}`;
    throw e;
  }
}
