import type http from 'node:http';
import type https from 'node:https';
import { builtin } from './builtin.js';
import type tls from 'node:tls';

const loadHttp = builtin<typeof http>('node:http');
const loadHttps = builtin<typeof https>('node:https');

export interface AdminOptions {
  https?: boolean;
  /** `Authorization` header value, e.g. `digest root:secret`. */
  auth?: string;
  params?: Record<string, string>;
  timeoutMs?: number;
  tls?: tls.ConnectionOptions;
}

/** Calls an AdminServer command (`GET /commands/<name>`) and returns its HTTP status and JSON body. */
export function adminCommand(
  host: string,
  port: number,
  command: string,
  opts: AdminOptions = {},
): Promise<{ status: number; body: Record<string, unknown> }> {
  const qs = opts.params ? `?${new URLSearchParams(opts.params).toString()}` : '';
  const mod = opts.https ? loadHttps() : loadHttp();
  return new Promise((resolve, reject) => {
    const req = mod.request(
      {
        host,
        port,
        method: 'GET',
        path: `/commands/${encodeURIComponent(command)}${qs}`,
        headers: opts.auth ? { Authorization: opts.auth } : {},
        timeout: opts.timeoutMs ?? 5000,
        ...(opts.https ? (opts.tls ?? {}) : {}),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          try {
            resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as Record<string, unknown> });
          } catch {
            resolve({ status: res.statusCode ?? 0, body: { error: text.trim() } });
          }
        });
      },
    );
    req.on('timeout', () =>
      req.destroy(new Error(`AdminServer at ${host}:${port} did not answer within ${opts.timeoutMs ?? 5000} ms`)),
    );
    req.on('error', reject);
    req.end();
  });
}
